// The Wartburg version: printed by `wartburg version`, returned by
// opa.runtime(), and written into precompiled plans (a plan from another
// version is not loaded).
#pragma once

namespace wartburg {

inline constexpr const char* kVersion = "0.1.0-dev";

}  // namespace wartburg
