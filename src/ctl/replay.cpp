#include "pc/ctl/replay.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "pc/api/trickle.hpp"
#include "pc/core/error.hpp"
#include "pc/core/file_util.hpp"
#include "pc/core/output.hpp"
#include "pc/ctl/remote.hpp"
#include "pc/keys/key_file.hpp"
#include "pc/record/codec.hpp"
#include "pc/record/collection_reader.hpp"
#include "pc/record/identifier.hpp"

namespace fs = std::filesystem;

namespace pc::ctl {

std::string encode_replay_state(const ReplayState& s) {
    nlohmann::json j{{"version", 1},
                     {"collection_key", s.collection_key},
                     {"identifier", s.identifier},
                     {"server", s.server},
                     {"acked_ticks", s.acked_ticks},
                     {"acked_records", s.acked_records}};
    j["inflight"] = s.inflight ? nlohmann::json{{"first_tick", s.inflight->first_tick},
                                                {"ticks", s.inflight->ticks}}
                               : nlohmann::json(nullptr);
    return j.dump(2) + "\n";
}

std::optional<ReplayState> load_replay_state(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    auto j = nlohmann::json::parse(core::read_whole_file(path), nullptr, false);
    auto broken = [&](const std::string& why) {
        return core::UserError("replay state " + path.string() + " is unusable (" + why +
                               "); delete it or pass --restart to start over");
    };
    if (j.is_discarded() || !j.is_object()) throw broken("not JSON");
    try {
        if (j.value("version", 0) != 1) throw broken("unknown version");
        ReplayState s;
        s.collection_key = j.at("collection_key").get<std::string>();
        s.identifier = j.at("identifier").get<std::string>();
        s.server = j.at("server").get<std::string>();
        s.acked_ticks = j.at("acked_ticks").get<std::uint64_t>();
        s.acked_records = j.at("acked_records").get<std::uint64_t>();
        const auto& inflight = j.at("inflight");
        if (!inflight.is_null()) {
            s.inflight = ReplayState::Batch{inflight.at("first_tick").get<std::uint64_t>(),
                                            inflight.at("ticks").get<std::uint64_t>()};
            if (s.inflight->first_tick != s.acked_ticks || s.inflight->ticks == 0) {
                throw broken("the batch in flight does not follow the acknowledged ticks");
            }
        }
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw broken(e.what());
    }
}

void save_replay_state(const fs::path& path, const ReplayState& state) {
    try {
        core::write_file_atomic(path, encode_replay_state(state), 0644);
    } catch (const std::system_error& e) {
        throw core::UserError("cannot write replay state " + path.string() + ": " + e.what() +
                              "; pass --state with a writable path");
    }
}

std::string replay_batch_id(const std::string& collection_key, const ReplayState::Batch& batch) {
    return "replay-" + collection_key + "-" + std::to_string(batch.first_tick) + "-" +
           std::to_string(batch.ticks);
}

std::string collection_key_of(const record::Record& first_record) {
    return keys::key_fingerprint(record::encode_record(first_record));
}

namespace {

bool retryable(int status) {
    return status == 0 || status == 429 || status >= 500;
}

class Replayer {
public:
    Replayer(client::HttpClient& http, const ReplayOptions& options, const ReplaySleeper& sleep)
        : http_(http), options_(options), sleep_(sleep), gzip_(options.gzip) {}

    ReplaySummary run() {
        if (!record::valid_identifier(options_.identifier)) {
            throw core::UserError(
                "invalid --identifier \"" + options_.identifier +
                "\": use letters, digits, '.', '_', '-' (1-128, not starting with '.')");
        }
        if (options_.apikey.empty()) {
            throw core::UserError(
                "replay needs a machine API key: set PCC_APIKEY or pass --apikey (one from pcd's "
                "apikeys file; pcctl apikey generate makes one)");
        }
        if (options_.batch_ticks == 0) throw core::UsageError("--batch-ticks must be at least 1");
        loaded_ = load_replay_state(options_.state_file);

        record::CollectionReader reader(options_.collection);
        record::ReadItem item;
        record::Tick tick;
        while (reader.next(item)) {
            if (item.status != record::LineStatus::ok) {
                ignore_line(item);
                continue;
            }
            if (!started_) start(item.record);
            if (!tick.empty() && tick.front().timestamp != item.record.timestamp) {
                add_tick(tick);
                tick.clear();
            }
            tick.push_back(std::move(item.record));
        }
        if (!tick.empty()) add_tick(tick);
        if (!started_) {
            throw core::UserError("collection " + options_.collection +
                                  " holds no records to replay");
        }
        if (batch_ticks_ > 0) {
            if (state_.inflight && state_.inflight->first_tick == batch_first_ &&
                state_.inflight->ticks != batch_ticks_) {
                throw core::UserError("collection " + options_.collection +
                                      " is shorter than when the interrupted batch was sent; pass "
                                      "--restart to start over");
            }
            send();
        }
        summary_.total_ticks = next_tick_;
        if (next_tick_ < state_.acked_ticks) {
            spdlog::warn(
                "the state file records {} acknowledged ticks but the collection has "
                "only {}",
                state_.acked_ticks, next_tick_);
        }
        return summary_;
    }

private:
    void ignore_line(const record::ReadItem& item) {
        if (item.status == record::LineStatus::malformed && !options_.skip_malformed) {
            throw core::UserError(
                "line " + std::to_string(item.line_number) + " of " + options_.collection +
                " is malformed (" + item.error +
                "); check it with pcctl validate, or pass --skip-malformed to leave "
                "such lines out");
        }
        spdlog::warn("line {}: {} line ignored: {}", item.line_number,
                     item.status == record::LineStatus::truncated ? "truncated" : "malformed",
                     item.error);
        ++summary_.ignored_lines;
    }

    void start(const record::Record& first) {
        started_ = true;
        std::string key = collection_key_of(first);
        std::string server = http_.base().to_string();
        if (loaded_) {
            auto hint = "; pass --state to keep separate progress, or --restart to start over";
            if (loaded_->collection_key != key) {
                throw core::UserError("state file " + options_.state_file.string() +
                                      " belongs to a different collection" + hint);
            }
            if (loaded_->identifier != options_.identifier) {
                throw core::UserError("state file " + options_.state_file.string() +
                                      " records a replay as \"" + loaded_->identifier + "\"" +
                                      hint);
            }
            if (loaded_->server != server) {
                throw core::UserError("state file " + options_.state_file.string() +
                                      " records a replay to " + loaded_->server + hint);
            }
            state_ = *loaded_;
            if (state_.acked_ticks > 0 || state_.inflight) {
                spdlog::info("resuming after {} acknowledged ticks", state_.acked_ticks);
            }
        } else {
            state_ = ReplayState{key, options_.identifier, server, 0, 0, std::nullopt};
        }
    }

    void add_tick(record::Tick& tick) {
        std::uint64_t index = next_tick_++;
        if (index < state_.acked_ticks) {
            ++summary_.already_acked_ticks;
            return;
        }
        if (batch_ticks_ == 0) batch_first_ = index;
        for (auto& r : tick) {
            batch_bytes_ += r.measurement.size() + r.subsystem.size() + 48;
            batch_.push_back(std::move(r));
        }
        ++batch_ticks_;
        // An interrupted batch is resent exactly as it was; new batches follow the options.
        bool resending = state_.inflight && state_.inflight->first_tick == batch_first_;
        bool full = resending ? batch_ticks_ >= state_.inflight->ticks
                              : batch_ticks_ >= options_.batch_ticks ||
                                    batch_bytes_ >= options_.batch_bytes;
        if (full) send();
    }

    std::string resume_hint() const {
        return "; " + std::to_string(state_.acked_ticks) +
               " ticks are stored so far: run the same command again to resume";
    }

    void send() {
        ReplayState::Batch batch{batch_first_, batch_ticks_};
        bool resend = state_.inflight && *state_.inflight == batch;
        state_.inflight = batch;
        save_replay_state(options_.state_file, state_);

        api::TrickleRequest request{options_.identifier, std::move(batch_),
                                    replay_batch_id(state_.collection_key, batch)};
        const std::string body = api::encode_trickle_request(request);
        const std::size_t records = request.measurements.size();
        const client::Headers headers{{"apikey", options_.apikey}};
        client::Backoff backoff(options_.backoff);
        int failures = 0;
        for (;;) {
            if (summary_.requests > 0 && options_.pause.count() > 0) sleep_(options_.pause);
            auto result = http_.post(api::kRouteTrickle, body, "application/json", headers, gzip_);
            ++summary_.requests;
            int status = result.status();
            if (status == 200) break;
            if (status == 415 && gzip_) {
                spdlog::warn("pcd does not accept gzip bodies; sending uncompressed");
                gzip_ = false;
                continue;
            }
            std::string why = describe_failure(result);
            if (status == 401 || status == 403) {
                throw core::UserError(
                    "pcd refused the API key (" + why +
                    "); use a key from pcd's apikeys file (PCC_APIKEY or --apikey)" +
                    resume_hint());
            }
            if (!retryable(status)) {
                throw core::UserError("pcd rejected ticks " + std::to_string(batch.first_tick) +
                                      ".." + std::to_string(batch.first_tick + batch.ticks - 1) +
                                      " (" + why + ")" + resume_hint());
            }
            if (++failures > options_.retries) {
                throw core::UserError("giving up after " + std::to_string(failures) +
                                      " failed attempts (" + why + ")" + resume_hint());
            }
            auto delay = backoff.next();
            spdlog::warn("sending ticks {}..{} failed ({}); retrying in {} ms", batch.first_tick,
                         batch.first_tick + batch.ticks - 1, why, delay.count());
            sleep_(delay);
        }
        state_.acked_ticks = batch.first_tick + batch.ticks;
        state_.acked_records += records;
        state_.inflight.reset();
        save_replay_state(options_.state_file, state_);
        spdlog::info("ticks {}..{} stored ({} records){}", batch.first_tick,
                     batch.first_tick + batch.ticks - 1, records, resend ? " (resent)" : "");
        summary_.sent_ticks += batch.ticks;
        summary_.sent_records += records;
        summary_.resent_inflight |= resend;
        batch_.clear();
        batch_ticks_ = 0;
        batch_bytes_ = 0;
    }

    client::HttpClient& http_;
    const ReplayOptions& options_;
    const ReplaySleeper& sleep_;
    bool gzip_;
    std::optional<ReplayState> loaded_;
    ReplayState state_;
    bool started_ = false;
    ReplaySummary summary_;
    std::uint64_t next_tick_ = 0;
    std::vector<record::Record> batch_;
    std::uint64_t batch_first_ = 0;
    std::uint64_t batch_ticks_ = 0;
    std::size_t batch_bytes_ = 0;
};

}  // namespace

ReplaySummary replay_collection(client::HttpClient& http, const ReplayOptions& options,
                                const ReplaySleeper& sleep) {
    return Replayer(http, options, sleep).run();
}

namespace {

struct ReplayArgs {
    ReplayOptions options;
    std::string state;
    std::string pause = "0s";
    std::string compression = "gzip";
    bool restart = false;
};

}  // namespace

void register_replay_command(CLI::App& root, const GlobalOptions& global, ActionTable& actions) {
    auto args = std::make_shared<ReplayArgs>();
    auto* cmd = root.add_subcommand(
        "replay",
        "Trickle a local collection into pcd (POST /v1/trickle with the machine key) in batches. "
        "Resumable: progress is kept in a state file, and rerunning the same command sends only "
        "what pcd has not acknowledged");
    cmd->add_option("collection", args->options.collection,
                    "Collection file written by pcc in local mode (plain or gzip; '-' = stdin, "
                    "then --state is required)")
        ->required();
    cmd->add_option("--identifier", args->options.identifier,
                    "Machine identifier to store the ticks under; default: none (required)")
        ->envname("PCC_IDENTIFIER")
        ->required();
    cmd->add_option("--state", args->state,
                    "Progress file (no env var); default: <collection>.replay-<identifier>.state");
    cmd->add_option("--batch-ticks", args->options.batch_ticks, "Ticks per request (no env var)")
        ->capture_default_str();
    cmd->add_option("--pause", args->pause,
                    "Pause between requests, to trickle gently, Go duration (no env var)")
        ->capture_default_str();
    cmd->add_option("--retries", args->options.retries,
                    "Consecutive failed attempts (network, 429, 5xx) before giving up (no env var)")
        ->capture_default_str();
    cmd->add_option("--compression", args->compression, "Request bodies: gzip or none (no env var)")
        ->check(CLI::IsMember({"gzip", "none"}))
        ->capture_default_str();
    cmd->add_flag("--skip-malformed", args->options.skip_malformed,
                  "Leave malformed lines out instead of stopping (no env var); default: off");
    cmd->add_flag("--restart", args->restart,
                  "Forget earlier progress and send everything again (pcd drops resent batches "
                  "only while it still remembers them) (no env var); default: off");
    actions.add(cmd, [args, &global](Streams s) {
        ReplayOptions options = args->options;
        options.apikey = global.apikey;
        options.gzip = args->compression == "gzip";
        options.pause = parse_duration_setting(args->pause, "--pause");
        if (!args->state.empty()) {
            options.state_file = expand_home(args->state);
        } else if (options.collection == "-") {
            throw core::UsageError("replay from stdin needs --state FILE to remember its progress");
        } else {
            options.state_file = options.collection + ".replay-" + options.identifier + ".state";
        }
        if (args->restart) {
            std::error_code ec;
            fs::remove(options.state_file, ec);
        }
        auto http = make_pcd_client(global);
        auto summary = replay_collection(
            *http, options, [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
        if (global.json) {
            core::print_json(s.out, {{"collection", options.collection},
                                     {"identifier", options.identifier},
                                     {"server", http->base().to_string()},
                                     {"state_file", options.state_file.string()},
                                     {"total_ticks", summary.total_ticks},
                                     {"already_stored_ticks", summary.already_acked_ticks},
                                     {"sent_ticks", summary.sent_ticks},
                                     {"sent_records", summary.sent_records},
                                     {"requests", summary.requests},
                                     {"ignored_lines", summary.ignored_lines},
                                     {"resent_interrupted_batch", summary.resent_inflight}});
        } else if (summary.sent_ticks == 0) {
            s.out << "nothing to send: all " << summary.total_ticks << " ticks of "
                  << options.collection << " are already stored on " << http->base().to_string()
                  << " as " << options.identifier << '\n';
        } else {
            s.out << "replayed " << summary.sent_ticks << " ticks (" << summary.sent_records
                  << " records) of " << options.collection << " to " << http->base().to_string()
                  << " as " << options.identifier << " in " << summary.requests << " requests";
            if (summary.already_acked_ticks > 0) {
                s.out << "; " << summary.already_acked_ticks
                      << " ticks were already stored by an earlier run";
            }
            s.out << '\n';
        }
        if (summary.ignored_lines > 0) {
            s.err << "warning: " << summary.ignored_lines
                  << " malformed or truncated lines were left out\n";
        }
        return 0;
    });
}

}  // namespace pc::ctl
