// How every program's main() ends: exceptions become a one-line message and an exit status.
#pragma once

#include <functional>
#include <string_view>

namespace pc::core {

// Runs `body` and returns its exit status. A UsageError is printed to stderr as
// "<program>: <message>" and gives 2; a UserError the same way with 1; any other exception as
// "<program>: error: <message>" with 1.
int run_reporting_errors(std::string_view program, const std::function<int()>& body);

}  // namespace pc::core
