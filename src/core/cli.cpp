#include "pc/core/cli.hpp"

#include "pc/core/report_errors.hpp"
#include "pc/core/version.hpp"

namespace pc::core {

void add_version_flag(CLI::App& app, std::string_view program) {
    app.set_version_flag("--version", version_line(program), "Print the version and exit");
}

int run_cli(CLI::App& app, int argc, char** argv, std::string_view program,
            const std::function<int()>& body) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return run_reporting_errors(program, body);
}

}  // namespace pc::core
