#include "pc/core/flag_parser.hpp"

#include <cstdio>

#include "pc/core/report_errors.hpp"

namespace pc::core {

namespace {

constexpr std::size_t kHelpColumn = 30;  // where CLI11 starts an option's description

void append_entry(std::string& out, const std::string& signature, const std::string& help) {
    out += "  " + signature;
    if (signature.size() + 2 >= kHelpColumn) {
        out += '\n';
        out.append(kHelpColumn, ' ');
    } else {
        out.append(kHelpColumn - 2 - signature.size(), ' ');
    }
    out += help + '\n';
}

// An argument that is an option, not a value: "--x" or "-h". "-5" and "-" are values.
bool looks_like_option(std::string_view arg) {
    return arg.substr(0, 2) == "--" || arg == "-h";
}

}  // namespace

FlagParser::FlagParser(std::string description) : description_(std::move(description)) {}

void FlagParser::add(std::string flag, std::string& value, std::string env, std::string help,
                     std::string shown_default) {
    options_.push_back(
        {std::move(flag), &value, std::move(env), std::move(help), std::move(shown_default)});
}

std::size_t FlagParser::index_of(std::string_view flag) const {
    for (std::size_t i = 0; i < options_.size(); ++i)
        if (options_[i].flag == flag) return i;
    return options_.size();
}

FlagParser::Option* FlagParser::find(std::string_view flag) {
    const std::size_t i = index_of(flag);
    return i < options_.size() ? &options_[i] : nullptr;
}

bool FlagParser::given(std::string_view flag) const {
    const std::size_t i = index_of(flag);
    return i < options_.size() && options_[i].given;
}

std::string FlagParser::name(std::string_view flag) const {
    const std::size_t i = index_of(flag);
    if (i == options_.size()) return std::string(flag);
    const Option& option = options_[i];
    return option.from_flag || option.env.empty() ? option.flag : option.env;
}

std::string FlagParser::example(std::string_view flag, std::string_view value) const {
    const std::string shown = name(flag);
    if (shown.substr(0, 2) == "--") return shown + " " + std::string(value);
    return shown + "=" + std::string(value);
}

std::string FlagParser::help(std::string_view program_path) const {
    std::string out = description_ + "\nUsage: " + std::string(program_path) + " [OPTIONS]\n\n";
    out += "Options:\n";
    append_entry(out, "-h,--help", "Print this help message and exit");
    if (!version_line_.empty()) append_entry(out, "--version", "Print the version and exit");
    for (const auto& option : options_) {
        std::string signature = option.flag + " TEXT";
        if (!option.shown_default.empty()) signature += "=" + option.shown_default;
        if (!option.env.empty()) signature += " (Env:" + option.env + ")";
        append_entry(out, signature, option.help);
    }
    return out;
}

FlagParser::Outcome FlagParser::parse(int argc, const char* const* argv, const Getenv& getenv) {
    Outcome outcome;
    const std::string program = argc > 0 && argv[0] ? argv[0] : "";
    for (auto& option : options_) {
        option.count = 0;
        option.given = false;
        option.from_flag = false;
    }
    // --help and --version win over everything else on the line, as in CLI11.
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg == "-h" || arg == "--help") {
            outcome.out = help(program);
            return outcome;
        }
        if (arg == "--version" && !version_line_.empty()) {
            outcome.out = version_line_ + "\n";
            return outcome;
        }
    }
    std::vector<std::string> unexpected;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") {
            for (++i; i < argc; ++i) unexpected.emplace_back(argv[i]);
            break;
        }
        const auto eq = arg.find('=');
        const std::string_view name = arg.substr(0, eq);
        Option* option = arg.substr(0, 2) == "--" ? find(name) : nullptr;
        if (!option) {
            unexpected.emplace_back(arg);
            continue;
        }
        std::string value;
        if (eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
        } else if (i + 1 < argc && !looks_like_option(argv[i + 1])) {
            value = argv[++i];
        } else {
            outcome.exit_code = kExitUsage;
            outcome.err = option->flag + ": value missing; use " + option->flag + " VALUE or " +
                          option->flag + "=VALUE\n";
            return outcome;
        }
        if (++option->count > 1) {
            outcome.exit_code = kExitUsage;
            outcome.err = option->flag + ": given " + std::to_string(option->count) +
                          " times; give it once, as " + option->flag + " VALUE\n";
            return outcome;
        }
        *option->value = std::move(value);
        option->given = true;
        option->from_flag = true;
    }
    if (!unexpected.empty()) {
        std::string list;
        for (const auto& u : unexpected) list += (list.empty() ? "" : " ") + u;
        outcome.exit_code = kExitUsage;
        outcome.err =
            (unexpected.size() == 1 ? "unexpected argument: " : "unexpected arguments: ") + list +
            "; options are --name VALUE or --name=VALUE, listed by --help\n";
        return outcome;
    }
    for (auto& option : options_) {
        if (option.given || option.env.empty()) continue;
        const char* from_env = getenv(option.env.c_str());
        if (from_env && *from_env) {
            *option.value = from_env;
            option.given = true;
        }
    }
    outcome.run = true;
    return outcome;
}

int run_flag_cli(FlagParser& flags, int argc, char** argv, std::string_view program,
                 const std::function<int()>& body) {
    const auto outcome = flags.parse(argc, argv);
    std::fputs(outcome.out.c_str(), stdout);
    if (!outcome.err.empty())
        std::fprintf(stderr, "%.*s: %s", static_cast<int>(program.size()), program.data(),
                     outcome.err.c_str());
    if (!outcome.run) return outcome.exit_code;
    std::fflush(stdout);
    return run_reporting_errors(program, body);
}

}  // namespace pc::core
