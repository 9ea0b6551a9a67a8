// How every program's main() ends: exceptions become a one-line message and exit status 1.
#pragma once

#include <functional>
#include <string_view>

namespace pc::core {

// Runs `body` and returns its exit status. A UserError is printed to stderr as
// "<program>: <message>", any other exception as "<program>: error: <message>"; both give 1.
int run_reporting_errors(std::string_view program, const std::function<int()>& body);

}  // namespace pc::core
