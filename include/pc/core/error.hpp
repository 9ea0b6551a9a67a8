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

// A mistake on the command line or in an environment variable: printed like a UserError but
// exits 2 (usage) rather than 1 (a fatal runtime error). The message names what was given (the
// flag or the variable) and the valid form.
class UsageError : public UserError {
public:
    using UserError::UserError;
};

// Exit statuses every program shares.
inline constexpr int kExitFatal = 1;
inline constexpr int kExitUsage = 2;

// errno as text, "No such file or directory".
std::string errno_text(int err);

}  // namespace pc::core
