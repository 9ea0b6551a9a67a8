// Captures what the code under test logs through spdlog's default logger, for the lifetime of
// the object, one "<level>: <message>" line per record.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace pc::test {

class LogCapture {
public:
    LogCapture() : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
        sink->set_pattern("%l: %v");
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::string text() const {
        spdlog::default_logger()->flush();
        return stream_.str();
    }
    // How often `needle` occurs in everything logged so far.
    std::size_t count(std::string_view needle) const {
        const std::string all = text();
        std::size_t n = 0;
        for (auto at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1))
            ++n;
        return n;
    }
    // The messages logged at warning level, without the level.
    std::vector<std::string> warnings() const {
        std::vector<std::string> out;
        std::istringstream in(text());
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("warning: ", 0) == 0) out.push_back(line.substr(9));
        return out;
    }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::ostringstream stream_;
};

}  // namespace pc::test
