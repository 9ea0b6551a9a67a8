// The suite's version, one string for all four binaries.
#pragma once

#include <string>
#include <string_view>

namespace pc::core {

std::string_view version();
// "<program> <version>" as printed by --version.
std::string version_line(std::string_view program);

}  // namespace pc::core
