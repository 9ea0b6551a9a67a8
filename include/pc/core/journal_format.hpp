// Log lines for systemd's journal: when stderr is a journal stream, journald adds its own
// timestamp, and reads the level from a syslog priority prefix ("<3>") on each line.
#pragma once

#include <spdlog/details/log_msg.h>
#include <spdlog/formatter.h>

#include <memory>
#include <string_view>

namespace pc::core {

// True when `journal_stream` (the JOURNAL_STREAM variable, "<st_dev>:<st_ino>" in decimal, as
// systemd sets it) names the file open on `fd`. A redirected stderr of a program started from
// a service inherits the variable but not the stream, hence the comparison.
bool is_journal_stream(std::string_view journal_stream, int fd);

// is_journal_stream for stderr and the JOURNAL_STREAM variable of this process.
bool stderr_is_journal();

// The syslog priority of a level: error 3, warning 4, info 6, debug and trace 7.
int syslog_priority(spdlog::level::level_enum level);

// "<6>info: message" for each line of the message, without a timestamp.
class JournalFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace pc::core
