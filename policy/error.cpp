// Error formatting.
#include "policy/error.h"

namespace wartburg {

std::string ErrorInfo::to_string() const {
  std::string out;
  if (!file.empty() || row > 0) {
    out.append(file);
    if (row > 0) {
      if (!file.empty()) out.push_back(':');
      out.append(std::to_string(row));
      out.push_back(':');
      out.append(std::to_string(col));
    }
    out.append(": ");
  }
  if (!code.empty()) {
    out.append(code);
    out.append(": ");
  }
  out.append(message);
  return out;
}

static std::string join_messages(const std::vector<ErrorInfo>& e) {
  std::string out;
  for (size_t i = 0; i < e.size(); ++i) {
    if (i) out += "\n";
    out += e[i].to_string();
  }
  return out;
}

Error::Error(std::vector<ErrorInfo> e) : std::runtime_error(join_messages(e)), errors(std::move(e)) {}

}  // namespace wartburg
