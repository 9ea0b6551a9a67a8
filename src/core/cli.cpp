#include "pc/core/cli.hpp"

#include <algorithm>
#include <cstdio>

#include "pc/core/error.hpp"
#include "pc/core/report_errors.hpp"
#include "pc/core/version.hpp"

namespace pc::core {

void add_version_flag(CLI::App& app, std::string_view program) {
    app.set_version_flag("--version", version_line(program), "Print the version and exit");
}

std::string given_name(const CLI::App& app, const std::string& flag) {
    const CLI::Option* option = app.get_option_no_throw(flag);
    if (!option) return flag;
    const auto& order = app.parse_order();
    const bool from_flag = std::find(order.begin(), order.end(), option) != order.end();
    return from_flag || option->get_envname().empty() ? flag : option->get_envname();
}

int run_cli(CLI::App& app, int argc, char** argv, std::string_view program,
            const std::function<int()>& body) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);  // --help, --version
    } catch (const CLI::ParseError& e) {
        const std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
        const std::string line = usage_error_line(app, e, args);
        std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(program.size()), program.data(),
                     line.c_str());
        return kExitUsage;
    }
    return run_reporting_errors(program, body);
}

}  // namespace pc::core
