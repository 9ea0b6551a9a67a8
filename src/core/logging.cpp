#include "pc/core/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "pc/core/error.hpp"
#include "pc/core/journal_format.hpp"
#include "pc/core/strings.hpp"

namespace pc::core {

namespace {

std::optional<spdlog::level::level_enum> level_from_name(std::string_view name) {
    std::string n;
    for (char c : name) {
        if (!is_ascii_space(c)) n += ascii_lower(c);
    }
    if (n == "trace") return spdlog::level::trace;
    if (n == "debug") return spdlog::level::debug;
    if (n == "info") return spdlog::level::info;
    if (n == "warn" || n == "warning") return spdlog::level::warn;
    if (n == "error") return spdlog::level::err;
    if (n == "critical") return spdlog::level::critical;
    if (n == "off") return spdlog::level::off;
    return std::nullopt;
}

}  // namespace

spdlog::level::level_enum parse_log_level(std::string_view spec, std::string_view module,
                                          std::string_view variable) {
    auto fail = [&]() -> UsageError {
        return UsageError(std::string(variable) + ": invalid log level \"" + std::string(spec) +
                          "\"; use trace, debug, info, warning or error, or a spec such as "
                          "\"pcc=INFO;hoarder=INFO\"");
    };
    spec = trim(spec);
    if (spec.find('=') == std::string_view::npos) {
        auto level = level_from_name(spec);
        if (!level) throw fail();
        return *level;
    }
    std::optional<spdlog::level::level_enum> for_module, for_root, most_verbose;
    std::size_t pos = 0;
    while (pos <= spec.size()) {
        std::size_t end = spec.find(';', pos);
        if (end == std::string_view::npos) end = spec.size();
        auto entry = trim(spec.substr(pos, end - pos));
        pos = end + 1;
        if (entry.empty()) continue;
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) throw fail();
        auto name = trim(entry.substr(0, eq));
        auto level = level_from_name(entry.substr(eq + 1));
        if (!level || name.empty()) throw fail();
        if (name == module) for_module = level;
        if (name == "<root>") for_root = level;
        if (!most_verbose || *level < *most_verbose) most_verbose = level;
    }
    if (for_module) return *for_module;
    if (for_root) return *for_root;
    if (most_verbose) return *most_verbose;
    throw fail();
}

void setup_logging(std::string_view program, spdlog::level::level_enum level) {
    // Plain (uncoloured) stderr: logs usually go to journald or a file.
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>(std::string(program), sink);
    if (stderr_is_journal()) {
        logger->set_formatter(std::make_unique<JournalFormatter>());
    } else {
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l " + std::string(program) + ": %v",
                            spdlog::pattern_time_type::utc);
    }
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

}  // namespace pc::core
