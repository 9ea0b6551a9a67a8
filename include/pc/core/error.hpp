// Errors that cross module boundaries: one-line, user-facing messages.
#pragma once

#include <stdexcept>
#include <string>

namespace pc::core {

// A problem the user can fix (bad configuration, unreadable file...). what() is the one-line
// message printed before a non-zero exit.
class UserError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// errno as text, "No such file or directory".
std::string errno_text(int err);

}  // namespace pc::core
