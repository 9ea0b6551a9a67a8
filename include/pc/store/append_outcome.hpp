// What became of one batch handed to a store.
#pragma once

#include <cstdint>
#include <string>

namespace pc::store {

struct AppendOutcome {
    // too_many_machines: a new identifier while the store holds its machine limit (final for
    // that batch, nothing stored).
    enum class Status { stored, duplicate, failed, too_many_machines };
    Status status = Status::failed;
    std::string error;        // when failed: one line, safe to return to the client
    std::uint64_t bytes = 0;  // bytes appended when stored
};

}  // namespace pc::store
