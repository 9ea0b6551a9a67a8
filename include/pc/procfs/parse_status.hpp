// Outcome of parsing one /proc text: ok, or a one-line reason naming the offending line.
#pragma once

#include <string>

namespace pc::procfs {

struct ParseStatus {
    bool ok = true;
    std::string message;  // "line 3: 'cpu0' has a non-numeric field 'x'" when !ok

    explicit operator bool() const { return ok; }
    static ParseStatus success() { return {}; }
    static ParseStatus failure(std::string why) { return {false, std::move(why)}; }
};

}  // namespace pc::procfs
