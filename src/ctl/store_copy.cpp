#include "pc/ctl/store_copy.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>

#include "pc/core/error.hpp"
#include "pc/core/output.hpp"
#include "pc/core/strings.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/record/codec.hpp"
#include "pc/store/file_store.hpp"
#include "pc/store/pg_connect_info.hpp"
#include "pc/store/pg_store.hpp"

namespace fs = std::filesystem;

namespace pc::ctl {

namespace {

bool wanted(const std::vector<std::string>& patterns, const std::string& identifier) {
    if (patterns.empty()) return true;
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        return keys::identifier_matches(p, identifier);
    });
}

// Copies one machine; returns false when the test hook stopped the run.
class MachineCopier {
public:
    MachineCopier(const store::Store& from, store::Store& to, const CopyOptions& options,
                  std::size_t& batches, std::ostream& progress)
        : from_(from), to_(to), options_(options), batches_(batches), progress_(progress) {}

    bool copy(MachineCopy& m, const std::optional<store::MachineSummary>& there) {
        const std::uint64_t have_bytes = there ? there->bytes : 0;
        m.already = there ? there->records : 0;
        if (m.already > m.records || have_bytes > m.bytes) {
            m.mismatch = "the destination has more (" + std::to_string(m.already) + " records, " +
                         std::to_string(have_bytes) + " bytes) than the source";
            return true;
        }
        if (m.already == m.records) return true;
        auto stream = from_.read(m.identifier, {});
        if (!stream) {
            m.mismatch = "deleted from the source during the copy";
            return true;
        }
        std::string chunk, partial;
        std::uint64_t index = 0, skipped_bytes = 0;
        while (index < m.records && stream->next(chunk)) {
            partial += chunk;
            std::size_t start = 0;
            for (std::size_t nl;
                 index < m.records && (nl = partial.find('\n', start)) != std::string::npos;
                 start = nl + 1) {
                const std::string_view line(partial.data() + start, nl - start);
                if (index < m.already) {
                    skipped_bytes += line.size() + 1;
                    if (++index == m.already && skipped_bytes != have_bytes) {
                        m.mismatch = "the destination's " + std::to_string(m.already) +
                                     " records are not the source's first ones (" +
                                     std::to_string(have_bytes) + " bytes there, " +
                                     std::to_string(skipped_bytes) + " here)";
                        return true;
                    }
                    continue;
                }
                add(m, line, index);
                ++index;
                if (batch_.size() >= options_.batch_records ||
                    batch_bytes_ >= options_.batch_bytes) {
                    if (!flush(m)) return false;
                }
            }
            partial.erase(0, start);
        }
        return flush(m);
    }

private:
    void add(const MachineCopy& m, std::string_view line, std::uint64_t index) {
        auto decoded = record::decode_record(line);
        if (!decoded.record || record::encode_record(*decoded.record) != std::string(line) + "\n") {
            throw core::UserError("store copy: " + m.identifier + ": record " +
                                  std::to_string(index + 1) +
                                  " of the source is not a collection line as pcd stores it" +
                                  (decoded.error.empty() ? "" : " (" + decoded.error + ")"));
        }
        if (batch_.empty()) batch_start_ = index;
        batch_.push_back(std::move(*decoded.record));
        batch_bytes_ += line.size() + 1;
    }

    bool flush(MachineCopy& m) {
        if (batch_.empty()) return true;
        if (options_.stop_after_batches && batches_ >= *options_.stop_after_batches) return false;
        // The batch id names where it starts: the same batch sent again is the same id.
        const auto outcome =
            to_.append(m.identifier, batch_, "copy-" + std::to_string(batch_start_));
        // duplicate: this very batch was committed by an attempt whose answer was lost.
        if (outcome.status != store::AppendOutcome::Status::stored &&
            outcome.status != store::AppendOutcome::Status::duplicate) {
            throw core::UserError(
                "store copy: " + m.identifier + ": the destination did not store records " +
                std::to_string(batch_start_ + 1) + "-" +
                std::to_string(batch_start_ + batch_.size()) + " (" +
                (outcome.error.empty() ? std::string("too many machines") : outcome.error) +
                "); run the same command again to continue");
        }
        m.copied += batch_.size();
        ++batches_;
        if (batches_ % 20 == 0) {
            progress_ << "store copy: " << m.identifier << ": " << m.already + m.copied << " of "
                      << m.records << " records\n";
        }
        batch_.clear();
        batch_bytes_ = 0;
        return true;
    }

    const store::Store& from_;
    store::Store& to_;
    const CopyOptions& options_;
    std::size_t& batches_;
    std::ostream& progress_;
    std::vector<record::Record> batch_;
    std::size_t batch_bytes_ = 0;
    std::uint64_t batch_start_ = 0;
};

}  // namespace

bool CopyReport::complete() const {
    return !stopped && std::all_of(machines.begin(), machines.end(),
                                   [](const MachineCopy& m) { return m.mismatch.empty(); });
}

CopyReport copy_collections(const store::Store& from, store::Store& to, const CopyOptions& options,
                            std::ostream& progress) {
    CopyReport report;
    for (const auto& s : from.machines()) {
        if (wanted(options.identifiers, s.identifier)) {
            report.machines.push_back({s.identifier, s.records, s.bytes, 0, 0, {}});
        }
    }
    for (const auto& pattern : options.identifiers) {
        if (pattern.find_first_of("*?") == std::string::npos &&
            std::none_of(report.machines.begin(), report.machines.end(),
                         [&](const MachineCopy& m) { return m.identifier == pattern; })) {
            throw core::UserError("store copy: no machine " + pattern + " in " + from.describe());
        }
    }
    auto summaries = [&] {
        std::map<std::string, store::MachineSummary> by_id;
        for (auto& s : to.machines()) by_id.emplace(s.identifier, std::move(s));
        return by_id;
    };
    const auto before = summaries();
    std::size_t batches = 0;
    std::size_t n = 0;
    for (auto& m : report.machines) {
        ++n;
        auto it = before.find(m.identifier);
        const std::optional<store::MachineSummary> there =
            it == before.end() ? std::nullopt : std::optional(it->second);
        progress << "store copy: [" << n << "/" << report.machines.size() << "] " << m.identifier
                 << ": " << m.records << " records, " << (there ? there->records : 0)
                 << " already there\n";
        MachineCopier copier(from, to, options, batches, progress);
        if (!copier.copy(m, there)) {
            report.stopped = true;
            progress << "store copy: stopped after " << batches << " batches\n";
            return report;
        }
    }
    const auto after = summaries();
    for (auto& m : report.machines) {
        if (!m.mismatch.empty()) continue;
        auto it = after.find(m.identifier);
        const std::uint64_t records = it == after.end() ? 0 : it->second.records;
        const std::uint64_t bytes = it == after.end() ? 0 : it->second.bytes;
        if (records != m.records || bytes != m.bytes) {
            m.mismatch = "the destination has " + std::to_string(records) + " records, " +
                         std::to_string(bytes) + " bytes; the source " + std::to_string(m.records) +
                         " records, " + std::to_string(m.bytes) + " bytes";
        }
    }
    return report;
}

namespace {

struct StoreArgs {
    std::string from;
    std::string to;
    std::vector<std::string> identifiers;
};

// A store named by a pcctl argument: a postgresql:// URI, or a file store's data directory.
std::unique_ptr<store::Store> open_store(const std::string& where, const std::string& flag,
                                         bool must_exist) {
    if (store::is_postgres_uri(where)) {
        store::PgStoreOptions options;
        options.connect = store::make_connect_info(where, flag, std::nullopt);
        options.connect.application_name = "pcctl";
        options.pool_size = 2;
        options.max_machines = std::numeric_limits<std::int32_t>::max();
        return std::make_unique<store::PgStore>(std::move(options));
    }
    const fs::path dir = expand_home(where);
    std::error_code ec;
    if (must_exist && !fs::is_directory(dir, ec)) {
        throw core::UserError(flag + ": " + dir.string() +
                              " is not a directory (give a file store's data directory, "
                              "PCD_DATADIR, or a postgresql:// URI)");
    }
    store::StoreOptions options{dir, 1024};
    options.max_open_files = 64;
    options.max_machines = std::numeric_limits<std::size_t>::max();
    auto opened = std::make_unique<store::FileStore>(options);
    opened->wait_until_recovered();
    return opened;
}

bool same_place(const std::string& a, const std::string& b) {
    if (store::is_postgres_uri(a) || store::is_postgres_uri(b)) {
        return core::trimmed(a) == core::trimmed(b);
    }
    std::error_code ec;
    const fs::path pa = expand_home(a), pb = expand_home(b);
    if (fs::exists(pa, ec) && fs::exists(pb, ec)) return fs::equivalent(pa, pb, ec);
    return fs::weakly_canonical(pa, ec) == fs::weakly_canonical(pb, ec);
}

}  // namespace

void register_store_commands(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<StoreArgs>();
    auto* store_cmd = root.add_subcommand(
        "store",
        "Work on pcd's stores directly (the file store's data directory, a PostgreSQL "
        "database)");
    store_cmd->require_subcommand(1);
    auto* copy = store_cmd->add_subcommand(
        "copy",
        "Copy every machine's collection from one store to another (file to PostgreSQL and "
        "back), resumable: run it again after an interruption; checks records and bytes per "
        "machine at the end (exit 1 naming a machine that differs). Stop a file-store pcd "
        "first");
    copy->add_option("--from", args->from,
                     "Source: a file store's data directory (PCD_DATADIR) or a postgresql:// URI "
                     "(password from PGPASSWORD or ~/.pgpass) (no env var; default: none)")
        ->required();
    copy->add_option("--to", args->to,
                     "Destination: a data directory (created when missing) or a postgresql:// "
                     "URI (no env var; default: none)")
        ->required();
    copy->add_option("--identifier", args->identifiers,
                     "Copy only these machines; a pattern may use * and ?; repeat for several (no "
                     "env var); default: every machine");
    actions.add(copy, [args, &global](Streams s) {
        for (const auto& p : args->identifiers) {
            if (!keys::valid_identifier_pattern(p)) {
                throw core::UsageError("--identifier: \"" + p +
                                       "\" is not an identifier or a pattern of one");
            }
        }
        if (same_place(args->from, args->to)) {
            throw core::UsageError("--from and --to name the same store (" +
                                   store::redacted_uri(args->to) + "); copy to another one");
        }
        auto from = open_store(args->from, "--from", true);
        auto to = open_store(args->to, "--to", false);
        s.err << "store copy: from " << from->describe() << " to " << to->describe() << '\n';
        CopyOptions options;
        options.identifiers = args->identifiers;
        const auto report = copy_collections(*from, *to, options, s.err);
        if (report.machines.empty()) {
            s.err << "store copy: no machines in " << from->describe()
                  << (store::is_postgres_uri(args->from)
                          ? std::string()
                          : std::string(" (a file store's data directory is PCD_DATADIR, by "
                                        "default $PCD_HOME/data)"))
                  << '\n';
        }
        if (global.json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& m : report.machines) {
                list.push_back({{"identifier", m.identifier},
                                {"records", m.records},
                                {"bytes", m.bytes},
                                {"already", m.already},
                                {"copied", m.copied},
                                {"ok", m.mismatch.empty()},
                                {"mismatch", m.mismatch}});
            }
            core::print_json(s.out, {{"machines", list}, {"complete", report.complete()}});
        } else {
            std::vector<std::vector<std::string>> rows;
            for (const auto& m : report.machines) {
                rows.push_back({m.identifier, std::to_string(m.records), std::to_string(m.bytes),
                                std::to_string(m.copied), m.mismatch.empty() ? "ok" : "DIFFERS"});
            }
            core::print_table(s.out, {"IDENTIFIER", "RECORDS", "BYTES", "COPIED", "CHECK"}, rows);
        }
        std::size_t bad = 0;
        for (const auto& m : report.machines) {
            if (!m.mismatch.empty()) {
                s.err << "pcctl: store copy: " << m.identifier << ": " << m.mismatch << '\n';
                ++bad;
            }
        }
        if (bad > 0) return 1;
        s.err << "store copy: " << report.machines.size()
              << " machine(s) copied and checked (records and bytes)\n";
        return 0;
    });
}

}  // namespace pc::ctl
