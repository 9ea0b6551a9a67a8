#include "pc/core/version.hpp"

namespace pc::core {

std::string version_line(std::string_view program) {
    std::string line(program);
    line += ' ';
    line += version();
    line += " (perfcollector, C++20)";
    return line;
}

}  // namespace pc::core
