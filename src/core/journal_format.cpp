#include "pc/core/journal_format.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace pc::core {

namespace {

bool parse_decimal(std::string_view text, std::uint64_t& out) {
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

void append(spdlog::memory_buf_t& dest, std::string_view text) {
    dest.append(text.data(), text.data() + text.size());
}

}  // namespace

bool is_journal_stream(std::string_view journal_stream, int fd) {
    auto colon = journal_stream.find(':');
    if (colon == std::string_view::npos) return false;
    std::uint64_t dev = 0, ino = 0;
    if (!parse_decimal(journal_stream.substr(0, colon), dev) ||
        !parse_decimal(journal_stream.substr(colon + 1), ino)) {
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    return static_cast<std::uint64_t>(st.st_dev) == dev &&
           static_cast<std::uint64_t>(st.st_ino) == ino;
}

bool stderr_is_journal() {
    const char* journal = std::getenv("JOURNAL_STREAM");
    return journal && is_journal_stream(journal, STDERR_FILENO);
}

int syslog_priority(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::critical:
            return 2;
        case spdlog::level::err:
            return 3;
        case spdlog::level::warn:
            return 4;
        case spdlog::level::info:
            return 6;
        default:
            return 7;
    }
}

void JournalFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    const auto level_name = spdlog::level::to_string_view(msg.level);
    const std::string prefix = "<" + std::to_string(syslog_priority(msg.level)) + ">" +
                               std::string(level_name.data(), level_name.size()) + ": ";
    // journald makes an entry of every line: each one carries the priority, or a continuation
    // line of a multi-line message would be logged at the default level.
    std::string_view payload(msg.payload.data(), msg.payload.size());
    while (true) {
        auto nl = payload.find('\n');
        append(dest, prefix);
        append(dest, payload.substr(0, nl));
        append(dest, "\n");
        if (nl == std::string_view::npos || nl + 1 == payload.size()) break;
        payload.remove_prefix(nl + 1);
    }
}

std::unique_ptr<spdlog::formatter> JournalFormatter::clone() const {
    return std::make_unique<JournalFormatter>();
}

}  // namespace pc::core
