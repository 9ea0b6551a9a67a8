#include "pc/core/report_errors.hpp"

#include <cstdio>
#include <exception>

#include "pc/core/error.hpp"
#include "pc/core/journal_format.hpp"

namespace pc::core {

int run_reporting_errors(std::string_view program, const std::function<int()>& body) {
    const int width = static_cast<int>(program.size());
    // In the journal, at error priority like the log lines (journal_format.hpp).
    const char* priority = stderr_is_journal() ? "<3>" : "";
    try {
        return body();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s%.*s: %s\n", priority, width, program.data(), e.what());
        return kExitUsage;
    } catch (const UserError& e) {
        std::fprintf(stderr, "%s%.*s: %s\n", priority, width, program.data(), e.what());
        return kExitFatal;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s%.*s: error: %s\n", priority, width, program.data(), e.what());
        return kExitFatal;
    }
}

}  // namespace pc::core
