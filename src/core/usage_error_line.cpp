// CLI11's parse errors rewritten as the one-line usage messages all four programs print.
#include <algorithm>

#include "pc/core/cli.hpp"

namespace pc::core {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string command_path(const CLI::App* app) {
    std::string path = app->get_name();
    for (const CLI::App* parent = app->get_parent(); parent; parent = parent->get_parent())
        path = parent->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

std::string see_help(const CLI::App* app) {
    const std::string path = command_path(app);
    return path.empty() ? "see --help" : "see " + path + " --help";
}

std::vector<const CLI::App*> named_subcommands(const CLI::App* app) {
    return app->get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
}

// The option called `name` on `app` or, since subcommands fall through, on a parent.
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
    for (; app; app = app->get_parent())
        if (const auto* option = app->get_option_no_throw(name)) return option;
    return nullptr;
}

// Where a command line stopped making sense: the deepest subcommand reached and the first word
// that is neither an option, an option's value, a subcommand nor a positional argument.
struct CommandWalk {
    const CLI::App* app = nullptr;
    std::string unknown;
};

CommandWalk walk(const CLI::App& root, const std::vector<std::string>& args) {
    CommandWalk w{&root, {}};
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") break;
        if (arg.size() > 1 && arg.front() == '-') {
            const auto eq = arg.find('=');
            const auto* option = find_option(w.app, arg.substr(0, eq));
            if (option && option->get_expected_min() > 0 && eq == std::string::npos) ++i;
            continue;
        }
        const auto subs = named_subcommands(w.app);
        const auto sub = std::find_if(subs.begin(), subs.end(),
                                      [&](const CLI::App* s) { return s->check_name(arg); });
        if (sub != subs.end()) {
            w.app = *sub;
            continue;
        }
        const bool takes_positionals =
            !w.app->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
        if (!takes_positionals && w.unknown.empty()) w.unknown = arg;
    }
    return w;
}

std::string unknown_command_line(const CommandWalk& w) {
    std::vector<std::string> names;
    for (const auto* sub : named_subcommands(w.app)) names.push_back(sub->get_name());
    const std::string choices = "use one of: " + join(names, ", ") + " (" + see_help(w.app) + ")";
    if (!w.unknown.empty()) return "unknown command \"" + w.unknown + "\"; " + choices;
    return "a command is required; " + choices;
}

// Every option of `app` and its subcommands, with the app that owns it.
void collect_options(const CLI::App* app,
                     std::vector<std::pair<const CLI::App*, const CLI::Option*>>& out) {
    for (const auto* option : app->get_options()) out.emplace_back(app, option);
    for (const auto* sub : app->get_subcommands([](const CLI::App*) { return true; }))
        collect_options(sub, out);
}

std::string describe_type(const std::string& type) {
    if (type == "UINT") return "a whole number";
    if (type == "INT") return "an integer";
    if (type == "FLOAT") return "a number";
    if (type == "BOOLEAN") return "true or false";
    return "a value";
}

// "--threads: invalid value "abc"; use a whole number, e.g. --threads 256", naming the variable
// instead when the value came from the environment.
std::string invalid_value_line(const CLI::App& root, const CLI::ParseError& error) {
    const std::string what = error.what();
    std::vector<std::pair<const CLI::App*, const CLI::Option*>> options;
    collect_options(&root, options);
    const CLI::App* owner = nullptr;
    const CLI::Option* option = nullptr;
    for (const auto& [app, candidate] : options) {
        const std::string name = candidate->get_name();
        if (name.empty() || what.find(name) == std::string::npos) continue;
        if (!option || name.size() > option->get_name().size()) {
            owner = app;
            option = candidate;
        }
    }
    if (!option) return what + "; see --help";  // no option named: CLI11's words are all we have
    const auto& order = owner->parse_order();
    const bool from_flag = std::find(order.begin(), order.end(), option) != order.end();
    const bool from_env = !from_flag && !option->get_envname().empty();
    const std::string name = from_env ? option->get_envname() : option->get_name();
    const std::string kind = describe_type(option->get_type_name());
    const std::string sample =
        option->get_default_str().empty() ? "VALUE" : option->get_default_str();
    const std::string form = from_env                   ? name + "=" + sample
                             : option->get_positional() ? sample
                                                        : name + " " + sample;
    return name + ": invalid value \"" + join(option->results(), " ") + "\"; use " + kind +
           ", e.g. " + form;
}

}  // namespace

std::string usage_error_line(const CLI::App& app, const CLI::ParseError& error,
                             const std::vector<std::string>& args) {
    const std::string what = error.what();
    if (dynamic_cast<const CLI::ConversionError*>(&error) ||
        dynamic_cast<const CLI::ValidationError*>(&error))
        return invalid_value_line(app, error);
    const auto w = walk(app, args);
    const bool wants_command = w.app->get_require_subcommand_min() > 0 &&
                               !named_subcommands(w.app).empty() &&
                               w.app->get_subcommands().empty();
    if (wants_command && (dynamic_cast<const CLI::RequiredError*>(&error) ||
                          dynamic_cast<const CLI::ExtrasError*>(&error)))
        return unknown_command_line(w);
    const std::string help = see_help(w.app);
    if (const auto* extras = dynamic_cast<const CLI::ExtrasError*>(&error)) {
        (void)extras;
        const auto colon = what.find(": ");
        const std::string list = colon == std::string::npos ? what : what.substr(colon + 2);
        return "unexpected argument " + list + "; " + help;
    }
    return what + "; " + help;
}

}  // namespace pc::core
