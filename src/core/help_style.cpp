// The --help layout shared by pcd, pcprocess and pcctl (pcc's FlagParser prints the same).
#include <memory>

#include "pc/core/cli.hpp"

namespace pc::core {

namespace {

// CLI11's layout, plus the parents' options in a subcommand's help: pcctl's global options are
// accepted after the subcommand too, so its help must list them.
class HelpStyle : public CLI::Formatter {
public:
    std::string make_footer(const CLI::App* app) const override {
        std::string out;
        for (const CLI::App* parent = app->get_parent(); parent; parent = parent->get_parent()) {
            auto options = parent->get_options([&](const CLI::Option* o) {
                return !o->get_positional() && o != parent->get_help_ptr() &&
                       o != parent->get_version_ptr();
            });
            if (options.empty()) continue;
            std::string title = "Options of " + parent->get_name() + ", accepted here too";
            out += make_group(title, false, options) + "\n";
        }
        return out + CLI::Formatter::make_footer(app);
    }
};

}  // namespace

void use_help_style(CLI::App& app) {
    app.formatter(std::make_shared<HelpStyle>());
}

}  // namespace pc::core
