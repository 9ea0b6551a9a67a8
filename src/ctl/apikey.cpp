#include "pc/ctl/apikey.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "pc/core/cli.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/output.hpp"
#include "pc/core/strings.hpp"
#include "pc/ctl/apikey_store.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/store/pg_key_table.hpp"

namespace fs = std::filesystem;

namespace pc::ctl {

namespace {

// Serialises concurrent pcctl rewrites of files in one directory: flock on the directory itself,
// so no lock file is left behind. Released when destroyed.
class DirectoryLock {
public:
    explicit DirectoryLock(const fs::path& file) {
        auto dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
        if (!fs::exists(dir)) {
            fs::create_directories(dir);
            fs::permissions(dir, fs::perms::owner_all);
        }
        fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd_ < 0) {
            throw core::UserError("cannot open directory " + dir.string() + ": " +
                                  core::errno_text(errno));
        }
        while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    ~DirectoryLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

private:
    int fd_ = -1;
};

// The file's lines without their '\n' (a missing final newline is tolerated).
std::vector<std::string> read_lines(const fs::path& file) {
    std::vector<std::string> lines;
    if (!fs::exists(file)) return lines;
    std::string text = core::read_whole_file(file);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

bool is_hex(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
}

const char* env_or_null(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

}  // namespace

fs::path default_home(const char* service_user) {
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    if (::getpwnam_r(service_user, &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_dir && *found->pw_dir) {
        std::error_code ec;
        fs::path home(found->pw_dir);
        if (fs::is_directory(home, ec)) return home;
    }
    return expand_home("~/.pcd");
}

fs::path key_file_path(const GlobalOptions& global, const std::string& file) {
    if (!file.empty()) return expand_home(file);
    const char* variable = global.admin ? "PCD_ADMINKEYS_FILE" : "PCD_APIKEYS_FILE";
    if (const char* v = env_or_null(variable)) return expand_home(v);
    fs::path home = global.home.empty() ? default_home() : expand_home(global.home);
    return home / (global.admin ? "adminkeys" : "apikeys");
}

KeyListing list_api_keys(const fs::path& file) {
    keys::KeyFile parsed = keys::load_key_file(file);
    KeyListing listing;
    for (const auto& entry : parsed.keys) {
        listing.keys.push_back({entry.line, entry.fingerprint(), entry.identifiers});
        if (!entry.hashed) ++listing.plain;
    }
    listing.warnings = parsed.warnings;
    listing.readable_by_others = parsed.readable_by_others;
    return listing;
}

std::string checked_new_key(const std::string& raw_key,
                            const std::vector<std::string>& identifiers) {
    std::string key = core::trimmed(raw_key);
    if (key.empty())
        throw core::UserError("no key given; pass one, or use 'pcctl apikey generate'");
    if (key.front() == '#')
        throw core::UserError("a key cannot start with '#' (it would be a comment)");
    if (std::any_of(key.begin(), key.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
        throw core::UserError(
            "key rejected: key contains whitespace; use 'pcctl apikey generate' for a good one");
    }
    for (const auto& pattern : identifiers) {
        if (!keys::valid_identifier_pattern(pattern)) {
            throw core::UsageError("--identifier: \"" + pattern +
                                   "\" is not an identifier pattern (letters, digits, '.', '_', "
                                   "'-', and the wildcards '*' and '?')");
        }
    }
    keys::KeyFile check = keys::parse_key_file(key);
    if (check.keys.size() != 1) {
        std::string why = check.warnings.empty() ? "invalid key" : check.warnings.front();
        if (auto colon = why.find(": "); why.starts_with("line ") && colon != std::string::npos) {
            why = why.substr(colon + 2);
        }
        if (why.ends_with(", ignored")) why.resize(why.size() - 9);
        throw core::UserError("key rejected: " + why +
                              "; use 'pcctl apikey generate' for a good one");
    }
    return key;
}

ListedKey add_api_key(const fs::path& file, const std::string& raw_key,
                      const std::vector<std::string>& identifiers) {
    const std::string key = checked_new_key(raw_key, identifiers);
    DirectoryLock lock(file);
    auto lines = read_lines(file);
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    keys::KeyFile existing = keys::parse_key_file(text);
    const keys::KeyEntry added{0, key, false, identifiers};
    const std::string digest = added.digest_hex();
    for (const auto& entry : existing.keys) {
        if (keys::constant_time_equal(entry.digest_hex(), digest)) {
            throw core::UserError("key " + keys::key_fingerprint(key) + " is already in " +
                                  file.string() + " on line " + std::to_string(entry.line));
        }
    }
    lines.push_back(keys::hashed_key_line(key, identifiers));
    keys::write_key_file(file, lines);
    return {lines.size(), keys::key_fingerprint(key), identifiers};
}

std::vector<ListedKey> remove_api_key_by_fingerprint(const fs::path& file,
                                                     const std::string& fingerprint) {
    std::string wanted = core::to_lower(core::trimmed(fingerprint));
    if (wanted.size() < 4 || !is_hex(wanted)) {
        throw core::UserError("'" + fingerprint +
                              "' is not a key fingerprint (at least 4 hex digits, as shown by "
                              "'pcctl apikey list'); use --line N to remove by line number");
    }
    DirectoryLock lock(file);
    keys::KeyFile parsed = keys::load_key_file(file);
    std::vector<ListedKey> matches;
    std::vector<std::string> distinct;
    for (const auto& entry : parsed.keys) {
        std::string fp = entry.fingerprint();
        if (fp.starts_with(wanted)) {
            matches.push_back({entry.line, fp, entry.identifiers});
            if (std::find(distinct.begin(), distinct.end(), fp) == distinct.end()) {
                distinct.push_back(fp);
            }
        }
    }
    if (matches.empty()) {
        throw core::UserError("no key with fingerprint " + wanted + " in " + file.string() +
                              "; see 'pcctl apikey list'");
    }
    if (distinct.size() > 1) {
        throw core::UserError("fingerprint prefix " + wanted + " matches " +
                              std::to_string(distinct.size()) +
                              " keys; give more digits (see 'pcctl apikey list')");
    }
    auto lines = read_lines(file);
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        bool drop = std::any_of(matches.begin(), matches.end(),
                                [&](const ListedKey& m) { return m.line == i + 1; });
        if (!drop) kept.push_back(lines[i]);
    }
    keys::write_key_file(file, kept);
    return matches;
}

ListedKey remove_api_key_by_line(const fs::path& file, std::size_t line) {
    DirectoryLock lock(file);
    keys::load_key_file(file);  // a missing file is reported with how to create one
    auto lines = read_lines(file);
    if (line == 0 || line > lines.size()) {
        throw core::UserError("line " + std::to_string(line) + " is not in " + file.string() +
                              " (" + std::to_string(lines.size()) + " lines)");
    }
    std::string content = core::trimmed(lines[line - 1]);
    if (content.empty() || content.front() == '#') {
        throw core::UserError("line " + std::to_string(line) + " of " + file.string() +
                              " holds no key (blank or comment)");
    }
    // A usable line's fingerprint (plain or hashed); an ignored one's as if it were a key.
    keys::KeyFile one = keys::parse_key_file(content);
    ListedKey removed{
        line, one.keys.empty() ? keys::key_fingerprint(content) : one.keys.front().fingerprint(),
        one.keys.empty() ? std::vector<std::string>{} : one.keys.front().identifiers};
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(line - 1));
    keys::write_key_file(file, lines);
    return removed;
}

std::size_t hash_key_file(const fs::path& file) {
    DirectoryLock lock(file);
    keys::load_key_file(file);  // a missing file is reported with how to create one
    auto lines = read_lines(file);
    std::size_t converted = 0;
    for (auto& line : lines) {
        keys::KeyFile one = keys::parse_key_file(line);
        if (one.keys.size() == 1 && !one.keys.front().hashed) {
            line = keys::hashed_key_line(one.keys.front().key, one.keys.front().identifiers);
            ++converted;
        }
    }
    if (converted > 0) keys::write_key_file(file, lines);
    return converted;
}

std::string reload_hint() {
    return "a running pcd picks this up after a reload: systemctl reload pcd (or kill -HUP "
           "<pcd pid>)";
}

namespace {

struct ApikeyArgs {
    std::string file;
    std::string store = "file";
    std::string store_password_file;
    CLI::App* command = nullptr;  // `apikey`, which holds --store: what the user set it with
    std::string key;
    std::string fingerprint;
    std::size_t line = 0;
    std::vector<std::string> identifiers;
};

nlohmann::json key_json(const ListedKey& k) {
    return {{"line", k.line}, {"fingerprint", k.fingerprint}, {"identifiers", k.identifiers}};
}

std::string identifiers_text(const ListedKey& k) {
    if (k.identifiers.empty()) return "*";
    std::string out;
    for (const auto& p : k.identifiers) out += (out.empty() ? "" : " ") + p;
    return out;
}

store::KeyKind kind_of(const GlobalOptions& global) {
    return global.admin ? store::KeyKind::admin : store::KeyKind::api;
}

// The database of --store, connected and migrated, or nullptr for the key files.
std::unique_ptr<store::PgConnection> database_of(const ApikeyArgs& args) {
    auto name = [&](const std::string& flag, const char* variable) {
        return args.command ? core::given_name(*args.command, flag) : std::string(variable);
    };
    auto info = key_database(args.store, name("--store", "PCD_STORE"), args.store_password_file);
    if (!info) {
        if (!args.store_password_file.empty()) {
            throw core::UsageError(
                name("--store-password-file", "PCD_STORE_PASSWORD_FILE") +
                " is given but the store is file; set --store to a postgresql:// URI or drop it");
        }
        return nullptr;
    }
    if (!args.file.empty()) {
        throw core::UsageError("--file names a key file but the keys are in the database (" +
                               name("--store", "PCD_STORE") +
                               "); drop --file, or add --store file to edit the file");
    }
    return open_key_database(*info);
}

std::string database_name(const ApikeyArgs& args) {
    return "the database " + store::redacted_uri(args.store);
}

std::string created_text(std::int64_t created) {
    return core::format_utc(created);
}

nlohmann::json database_key_json(const store::DatabaseKey& k) {
    return {{"fingerprint", k.fingerprint()},
            {"kind", std::string(store::key_kind_name(k.kind))},
            {"identifiers", k.identifiers},
            {"created", k.created}};
}

std::string patterns_text(const std::vector<std::string>& identifiers) {
    if (identifiers.empty()) return "*";
    std::string out;
    for (const auto& p : identifiers) out += (out.empty() ? "" : " ") + p;
    return out;
}

void add_identifier_option(CLI::App* command, ApikeyArgs& args) {
    command->add_option("--identifier", args.identifiers,
                        "Bind the key to machine identifiers: pcd refuses it (403) for any other; "
                        "a pattern may use * and ?; repeat for several (no env var); default: any "
                        "identifier");
}

}  // namespace

void register_apikey_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<ApikeyArgs>();
    auto* apikey = root.add_subcommand(
        "apikey",
        "Administer pcd's keys: the key files (machine keys in <home>/apikeys; with --admin the "
        "admin keys in <home>/adminkeys), or with --store those in pcd's PostgreSQL database");
    apikey->require_subcommand(1);
    args->command = apikey;
    apikey->add_option("--file", args->file,
                       "Key file to edit (env: PCD_APIKEYS_FILE, with --admin "
                       "PCD_ADMINKEYS_FILE); default: <home>/apikeys, with --admin "
                       "<home>/adminkeys");
    apikey
        ->add_option("--store", args->store,
                     "Where the keys are: file (the key files), or pcd's PostgreSQL database "
                     "(a postgresql:// URI, as pcd's PCD_STORE): every pcd on it accepts them "
                     "within PCD_KEYS_REFRESH; only hashes are stored")
        ->envname("PCD_STORE")
        ->default_str("file");
    apikey
        ->add_option("--store-password-file", args->store_password_file,
                     "File whose first line is the database password (else PGPASSWORD or "
                     "~/.pgpass)")
        ->envname("PCD_STORE_PASSWORD_FILE")
        ->default_str("none");

    auto* generate = apikey->add_subcommand(
        "generate",
        "Create a random key (256 bits, URL-safe), store its SHA-256 hash and print the key "
        "once on stdout");
    add_identifier_option(generate, *args);
    actions.add(generate, [args, &global](Streams s) {
        if (auto db = database_of(*args)) {
            std::string key = keys::generate_api_key();
            auto added = add_database_key(*db, kind_of(global), key, args->identifiers);
            if (global.json) {
                auto j = database_key_json(added);
                j["key"] = key;
                j["store"] = store::redacted_uri(args->store);
                core::print_json(s.out, j);
            } else {
                s.out << key << '\n';
                s.err << "stored in " << database_name(*args) << " (fingerprint "
                      << added.fingerprint() << "); the key is shown only once, keep it now\n";
            }
            s.err << database_reload_hint() << '\n';
            return 0;
        }
        auto file = key_file_path(global, args->file);
        std::string key = keys::generate_api_key();
        auto added = add_api_key(file, key, args->identifiers);
        if (global.json) {
            core::print_json(s.out, {{"key", key},
                                     {"fingerprint", added.fingerprint},
                                     {"line", added.line},
                                     {"file", file.string()}});
        } else {
            s.out << key << '\n';
            s.err << "stored as line " << added.line << " of " << file.string() << " (fingerprint "
                  << added.fingerprint << "); the key is shown only once, keep it now\n";
        }
        s.err << reload_hint() << '\n';
        return 0;
    });

    auto* add = apikey->add_subcommand(
        "add",
        "Store an existing key's SHA-256 hash (the key is read from standard input when KEY is "
        "omitted)");
    add->add_option("key", args->key,
                    "The key (omit it to read one line from stdin and keep it out of the shell "
                    "history)");
    add_identifier_option(add, *args);
    actions.add(add, [args, &global](Streams s) {
        std::string key = args->key;
        if (auto db = database_of(*args)) {
            if (key.empty()) std::getline(std::cin, key);
            auto added = add_database_key(*db, kind_of(global), key, args->identifiers);
            if (global.json) {
                auto j = database_key_json(added);
                j["store"] = store::redacted_uri(args->store);
                core::print_json(s.out, j);
            } else {
                s.out << "added key " << added.fingerprint() << " to " << database_name(*args)
                      << '\n';
            }
            s.err << database_reload_hint() << '\n';
            return 0;
        }
        auto file = key_file_path(global, args->file);
        if (key.empty()) std::getline(std::cin, key);
        auto added = add_api_key(file, key, args->identifiers);
        if (global.json) {
            auto j = key_json(added);
            j["file"] = file.string();
            core::print_json(s.out, j);
        } else {
            s.out << "added key " << added.fingerprint << " as line " << added.line << " of "
                  << file.string() << '\n';
        }
        s.err << reload_hint() << '\n';
        return 0;
    });

    auto* list = apikey->add_subcommand(
        "list", "Show the fingerprint and line number of every key (never the keys)");
    actions.add(list, [args, &global](Streams s) {
        if (auto db = database_of(*args)) {
            const auto stored = store::list_database_keys(*db, kind_of(global));
            if (global.json) {
                nlohmann::json keys = nlohmann::json::array();
                for (const auto& k : stored) keys.push_back(database_key_json(k));
                core::print_json(s.out,
                                 {{"store", store::redacted_uri(args->store)}, {"keys", keys}});
            } else {
                s.out << database_name(*args) << ": " << stored.size() << ' '
                      << store::key_kind_name(kind_of(global))
                      << (stored.size() == 1 ? " key" : " keys") << '\n';
                if (!stored.empty()) {
                    std::vector<std::vector<std::string>> rows;
                    for (const auto& k : stored) {
                        rows.push_back({k.fingerprint(), created_text(k.created),
                                        patterns_text(k.identifiers)});
                    }
                    core::print_table(s.out, {"FINGERPRINT", "CREATED", "IDENTIFIERS"}, rows);
                }
            }
            return 0;
        }
        auto file = key_file_path(global, args->file);
        auto listing = list_api_keys(file);
        if (global.json) {
            nlohmann::json keys = nlohmann::json::array();
            for (const auto& k : listing.keys) keys.push_back(key_json(k));
            core::print_json(s.out, {{"file", file.string()},
                                     {"keys", keys},
                                     {"warnings", listing.warnings},
                                     {"plain", listing.plain},
                                     {"readable_by_others", listing.readable_by_others}});
        } else {
            s.out << file.string() << ": " << listing.keys.size()
                  << (listing.keys.size() == 1 ? " key" : " keys") << '\n';
            if (!listing.keys.empty()) {
                std::vector<std::vector<std::string>> rows;
                for (const auto& k : listing.keys) {
                    rows.push_back({std::to_string(k.line), k.fingerprint, identifiers_text(k)});
                }
                core::print_table(s.out, {"LINE", "FINGERPRINT", "IDENTIFIERS"}, rows);
            }
        }
        for (const auto& w : listing.warnings) s.err << "warning: " << w << '\n';
        if (listing.plain > 0) {
            s.err << "note: " << listing.plain << " key(s) stored in plain text; pcd needs only "
                  << "their hashes: pcctl apikey hash" << (global.admin ? " --admin" : "") << '\n';
        }
        if (listing.readable_by_others) {
            s.err << "warning: " << file.string()
                  << " is readable by other users; fix with: chmod 600 " << file.string() << '\n';
        }
        return 0;
    });

    auto* hash = apikey->add_subcommand(
        "hash",
        "Replace the keys stored in plain text by their SHA-256 hashes (what 'generate' and "
        "'add' store); fingerprints, comments and order stay");
    actions.add(hash, [args, &global](Streams s) {
        if (key_database(args->store, "--store", args->store_password_file)) {
            throw core::UsageError(
                "apikey hash works on key files; the database holds only hashes already (drop "
                "--store, or set PCD_STORE=file)");
        }
        auto file = key_file_path(global, args->file);
        auto converted = hash_key_file(file);
        if (global.json) {
            core::print_json(s.out, {{"file", file.string()}, {"hashed", converted}});
        } else {
            s.out << "hashed " << converted << (converted == 1 ? " key" : " keys") << " in "
                  << file.string() << '\n';
        }
        if (converted > 0) s.err << reload_hint() << '\n';
        return 0;
    });

    auto* remove = apikey->add_subcommand(
        "remove", "Delete a key by fingerprint (from 'pcctl apikey list') or by --line");
    remove->add_option("fingerprint", args->fingerprint,
                       "Fingerprint of the key, or a unique prefix of at least 4 hex digits");
    auto* line_opt = remove->add_option(
        "--line", args->line, "Line number of the key instead (no env var); default: none");
    line_opt->excludes(remove->get_option("fingerprint"));
    actions.add(remove, [args, &global](Streams s) {
        if (auto db = database_of(*args)) {
            if (args->line > 0) {
                throw core::UsageError(
                    "--line works on key files; remove a database key by its fingerprint");
            }
            if (args->fingerprint.empty()) {
                throw core::UsageError(
                    "say which key: pcctl apikey remove <fingerprint> --store ...");
            }
            auto removed = remove_database_key(*db, kind_of(global), args->fingerprint);
            if (global.json) {
                core::print_json(
                    s.out, {{"store", store::redacted_uri(args->store)},
                            {"removed", nlohmann::json::array({database_key_json(removed)})}});
            } else {
                s.out << "removed key " << removed.fingerprint() << " from " << database_name(*args)
                      << '\n';
            }
            s.err << database_reload_hint() << '\n';
            return 0;
        }
        auto file = key_file_path(global, args->file);
        std::vector<ListedKey> removed;
        if (args->line > 0) {
            removed.push_back(remove_api_key_by_line(file, args->line));
        } else if (!args->fingerprint.empty()) {
            removed = remove_api_key_by_fingerprint(file, args->fingerprint);
        } else {
            throw core::UsageError("say which key: pcctl apikey remove <fingerprint> or --line N");
        }
        if (global.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& k : removed) j.push_back(key_json(k));
            core::print_json(s.out, {{"file", file.string()}, {"removed", j}});
        } else {
            for (const auto& k : removed) {
                s.out << "removed key " << k.fingerprint << " (line " << k.line << ") from "
                      << file.string() << '\n';
            }
        }
        s.err << reload_hint() << '\n';
        return 0;
    });
}

}  // namespace pc::ctl
