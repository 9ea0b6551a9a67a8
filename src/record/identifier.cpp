#include "pc/record/identifier.hpp"

namespace pc::record {

bool valid_identifier(std::string_view id) {
    if (id.empty() || id.size() > 128 || id.front() == '.') return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace pc::record
