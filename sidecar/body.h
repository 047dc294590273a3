// Request body decoding with a limit on the DECODED size: a body sent with
// `Content-Encoding: gzip` is inflated incrementally and refused as soon as
// the output would pass the limit, so a small "gzip bomb" never allocates
// more than the limit. Used by every handler that parses a request body.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sidecar/http.h"

namespace wartburg::sidecar {

// The decoded body is larger than the limit: answer 413.
struct BodyTooLarge : std::runtime_error {
  explicit BodyTooLarge(const std::string& what) : std::runtime_error(what) {}
};

// The body cannot be decoded (corrupt gzip, unknown encoding): answer 400.
struct BodyDecodeError : std::runtime_error {
  explicit BodyDecodeError(const std::string& what) : std::runtime_error(what) {}
};

// Inflates a gzip stream (one or more members) into at most `max_out` bytes.
// Throws BodyTooLarge or BodyDecodeError.
std::string gunzip_limited(std::string_view gz, size_t max_out);

// The request body as the handler should parse it: inflated when the
// Content-Encoding header says gzip ("identity" or none: as sent). Throws
// BodyTooLarge when the result would exceed `max_decoded` bytes (also for an
// uncompressed body), BodyDecodeError for other encodings or corrupt data.
std::string decoded_body(const Request& req, size_t max_decoded);

// OPA's answer for a body over the limit: 413 {"code": "invalid_parameter", ...}.
Response body_too_large_response(const BodyTooLarge& e);

}  // namespace wartburg::sidecar
