#include "pc/core/report_errors.hpp"

#include <cstdio>
#include <exception>

#include "pc/core/error.hpp"

namespace pc::core {

int run_reporting_errors(std::string_view program, const std::function<int()>& body) {
    const int width = static_cast<int>(program.size());
    try {
        return body();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%.*s: %s\n", width, program.data(), e.what());
        return kExitUsage;
    } catch (const UserError& e) {
        std::fprintf(stderr, "%.*s: %s\n", width, program.data(), e.what());
        return kExitFatal;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%.*s: error: %s\n", width, program.data(), e.what());
        return kExitFatal;
    }
}

}  // namespace pc::core
