// GrpcAuthzServer in the executable: finds the gRPC module's factory (linked
// in, or loaded with dlopen from libwartburg_authz_grpc.so) and drives the
// backend it makes. See authz_grpc.h for why the gRPC code is a module.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sidecar/authz_grpc.h"

namespace wartburg::sidecar {

namespace {

using Factory = GrpcAuthzBackend* (*)(PolicyStore*, Metrics*, DecisionLog*, const GrpcAuthzOptions*);

constexpr const char* kModule = "libwartburg_authz_grpc.so";
constexpr const char* kFactory = "wartburg_grpc_authz_create";

std::string executable_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = '\0';
  return std::filesystem::path(buf).parent_path().string();
}

// The factory: already in the process (test programs link the module in),
// else from the module: $WARTBURG_GRPC_MODULE, next to the executable, or
// ../lib/wartburg/ from it. The module stays loaded for the process's life.
Factory find_factory() {
  if (void* f = dlsym(RTLD_DEFAULT, kFactory)) return reinterpret_cast<Factory>(f);
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("WARTBURG_GRPC_MODULE"); env && *env) candidates.emplace_back(env);
  std::string dir = executable_dir();
  if (!dir.empty()) {
    candidates.push_back(dir + "/" + kModule);
    candidates.push_back(dir + "/../lib/wartburg/" + kModule);
  }
  std::string errors;
  for (const auto& path : candidates) {
    if (!std::filesystem::exists(path)) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = dlerror();
      errors += std::string("; ") + (e ? e : path);
      continue;
    }
    if (void* f = dlsym(handle, kFactory)) return reinterpret_cast<Factory>(f);
    errors += "; " + path + ": no " + kFactory;
  }
  throw std::runtime_error(std::string("authz gRPC listener: cannot load ") + kModule +
                           " (looked next to the executable, in ../lib/wartburg and $WARTBURG_GRPC_MODULE" + errors + ")");
}

}  // namespace

GrpcAuthzServer::GrpcAuthzServer(PolicyStore& store, Metrics* metrics, DecisionLog* log, GrpcAuthzOptions opts)
    : store_(store), metrics_(metrics), log_(log), opts_(std::move(opts)) {}

GrpcAuthzServer::~GrpcAuthzServer() { shutdown(std::chrono::milliseconds(0)); }

int GrpcAuthzServer::start() {
  if (!backend_) backend_.reset(find_factory()(&store_, metrics_, log_, &opts_));
  return backend_->start();
}

void GrpcAuthzServer::shutdown(std::chrono::milliseconds grace) {
  if (backend_) backend_->shutdown(grace);
}

}  // namespace wartburg::sidecar
