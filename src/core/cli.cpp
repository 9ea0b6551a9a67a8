#include "pc/core/cli.hpp"

#include <cstdio>
#include <exception>
#include <string>

#include "pc/core/error.hpp"
#include "pc/core/version.hpp"

namespace pc {

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
    try {
        return body();
    } catch (const UserError& e) {
        std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(program.size()), program.data(), e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%.*s: error: %s\n", static_cast<int>(program.size()), program.data(),
                     e.what());
        return 1;
    }
}

}  // namespace pc
