// A small in-process implementation of the portal's upload contract, for pcctl upload tests:
// POST /api/v1/performance/upload, multipart fields file, machine_id, tenant_id, header
// Authorization: Bearer <key>. Success 201 {"upload_id","rows_imported"}; errors
// {"error_code","message"}: 401 bad key, 400 missing field, 422 CSV without data rows.
// Injected replies (e.g. 503, 429) are served first, one per request, before the contract.
#pragma once

#include <httplib.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "pc/server/listen_socket.hpp"

namespace pc::test {

class FakePortal {
public:
    struct Reply {
        int status = 200;
        std::string body;
        std::chrono::milliseconds delay{0};
    };
    struct Received {
        std::string authorization;
        std::string content_type;
        std::string machine_id;
        std::string tenant_id;
        std::string filename;
        std::string file_content;
        bool has_file = false;
    };

    explicit FakePortal(std::string apikey) : apikey_(std::move(apikey)) {
        server_.Post(
            "/api/v1/performance/upload",
            [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
        server_.set_socket_options(pc::server::set_exclusive_listen_options);
        port_ = server_.bind_to_any_port("127.0.0.1");
        // bind_to_any_port already listens: connections queue until the thread accepts them.
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // stop() is a no-op until the loop runs: wait for it so the destructor cannot hang.
        for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        // One answered request: the worker threads exist, so a test's first child is not
        // started while this process is still creating them.
        httplib::Client probe("127.0.0.1", port_);
        probe.set_connection_timeout(std::chrono::seconds(5));
        for (int i = 0; i < 50 && !probe.Get("/ready"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    ~FakePortal() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    FakePortal(const FakePortal&) = delete;
    FakePortal& operator=(const FakePortal&) = delete;

    // Served in order, one per request, before the contract's own answers.
    void inject(Reply reply) {
        std::lock_guard lock(mu_);
        injected_.push_back(std::move(reply));
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    std::vector<Received> received() const {
        std::lock_guard lock(mu_);
        return received_;
    }

private:
    static std::string error(const std::string& code, const std::string& message) {
        return nlohmann::json{{"error_code", code}, {"message", message}}.dump();
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        Received r;
        r.authorization = req.get_header_value("Authorization");
        r.content_type = req.get_header_value("Content-Type");
        r.machine_id = req.has_file("machine_id") ? req.get_file_value("machine_id").content : "";
        r.tenant_id = req.has_file("tenant_id") ? req.get_file_value("tenant_id").content : "";
        r.has_file = req.has_file("file");
        if (r.has_file) {
            auto f = req.get_file_value("file");
            r.filename = f.filename;
            r.file_content = f.content;
        }
        Reply reply;
        bool scripted = false;
        int sequence = 0;
        {
            std::lock_guard lock(mu_);
            received_.push_back(r);
            sequence = static_cast<int>(received_.size());
            if (!injected_.empty()) {
                reply = injected_.front();
                injected_.pop_front();
                scripted = true;
            }
        }
        if (scripted) {
            std::this_thread::sleep_for(reply.delay);
            res.status = reply.status;
            res.set_content(reply.body, "application/json");
            return;
        }
        if (r.authorization != "Bearer " + apikey_) {
            res.status = 401;
            res.set_content(error("unauthorized", "invalid or missing API key"),
                            "application/json");
            return;
        }
        for (auto [name, value] :
             {std::pair{"machine_id", &r.machine_id}, std::pair{"tenant_id", &r.tenant_id}}) {
            if (value->empty()) {
                res.status = 400;
                res.set_content(error("missing_field", std::string(name) + " is required"),
                                "application/json");
                return;
            }
        }
        std::size_t lines = 0;
        for (char c : r.file_content) lines += c == '\n';
        if (!r.has_file || lines < 2) {
            res.status = 422;
            res.set_content(error("invalid_csv", "the CSV has no data rows"), "application/json");
            return;
        }
        res.status = 201;
        res.set_content(nlohmann::json{{"upload_id", "up-" + std::to_string(sequence)},
                                       {"rows_imported", lines - 1}}
                            .dump(),
                        "application/json");
    }

    std::string apikey_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    mutable std::mutex mu_;
    std::deque<Reply> injected_;
    std::vector<Received> received_;
};

}  // namespace pc::test
