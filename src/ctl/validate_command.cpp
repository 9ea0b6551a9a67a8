#include "pc/ctl/validate_command.hpp"

#include <memory>

#include "pc/core/error.hpp"
#include "pc/core/output.hpp"
#include "pc/validate/render.hpp"
#include "pc/validate/validator.hpp"

namespace pc::ctl {

namespace {

struct ValidateArgs {
    std::string collection;
    std::string frequency;
    std::size_t max_examples = 20;
    bool strict = false;
};

}  // namespace

void register_validate_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<ValidateArgs>();
    auto* cmd = root.add_subcommand(
        "validate",
        "Data-quality report of a collection: ticks, span, frequency, gaps, duplicate ticks, "
        "malformed or truncated lines, subsystems per tick, counter resets and reboots. Exit 2 "
        "when the file is corrupt or empty");
    cmd->add_option("collection", args->collection,
                    "Collection file (plain or gzip; '-' reads stdin), e.g. a pcc collection or "
                    "$PCD_DATADIR/<id>.json")
        ->required();
    cmd->add_option("--frequency", args->frequency,
                    "Expected interval between ticks, Go duration, e.g. 5s (no env var); "
                    "default: the median interval in the file");
    cmd->add_option("--max-examples", args->max_examples,
                    "Examples listed per kind of finding (no env var)")
        ->capture_default_str();
    cmd->add_flag("--strict", args->strict,
                  "Also exit 2 on warnings (gaps, incomplete ticks, resets, reboots, unknown "
                  "subsystems) (no env var); default: off");
    actions.add(cmd, [args, &global](Streams s) {
        validate::ValidateOptions options;
        options.max_examples = args->max_examples;
        if (!args->frequency.empty()) {
            auto f = parse_duration_setting(args->frequency, "--frequency");
            if (f < std::chrono::seconds(1)) {
                throw core::UserError(
                    "--frequency must be at least 1s (timestamps are whole seconds)");
            }
            options.frequency = std::chrono::duration_cast<std::chrono::seconds>(f).count();
        }
        auto report = validate::validate_collection(args->collection, options);
        if (global.json) {
            core::print_json(s.out, validate::to_json(report));
        } else {
            validate::render_text(report, s.out);
        }
        bool failed =
            report.corrupt() || report.ticks == 0 || (args->strict && report.has_warnings());
        if (failed) {
            s.err << "pcctl: " << args->collection << ": " << validate::verdict(report) << '\n';
            return kExitCorrupt;
        }
        return 0;
    });
}

}  // namespace pc::ctl
