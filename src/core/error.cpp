#include "pc/core/error.hpp"

#include <cstring>

namespace pc::core {

std::string errno_text(int err) {
    char buf[256];
    // GNU strerror_r may return a static string rather than fill buf.
    const char* msg = ::strerror_r(err, buf, sizeof buf);
    return msg;
}

}  // namespace pc::core
