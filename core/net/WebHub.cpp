#include "core/net/WebHub.h"

#include <algorithm>
#include <chrono>

#include "core/net/WebSocketSession.h"

namespace liverack::core {
namespace {

using Json = nlohmann::ordered_json;

double wallClockMs() {
    using namespace std::chrono;
    return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

int tapIndex(Tap tap) {
    return tap == Tap::Pre ? 0 : 1;
}

const char* tapName(Tap tap) {
    return tap == Tap::Pre ? "pre" : "post";
}

const char* codecName(ListenCodec codec) {
    return codec == ListenCodec::Opus ? "opus" : "pcm";
}

}  // namespace

WebHub::WebHub(WebServerOptions options, std::string token, ChainControl* chain,
               std::map<std::string, WebStaticFile> files)
    : options_(std::move(options)),
      token_(std::move(token)),
      chain_(chain),
      files_(std::move(files)) {}

WebHub::~WebHub() {
    detach();
}

void WebHub::attach(WebSources sources) {
    std::lock_guard lock(sourcesMutex_);
    if (sources_.taps != nullptr) {
        sources_.taps->setListenEnabled(false, false);
    }
    sources_ = std::move(sources);
    ++sourcesGeneration_;
    listenTapsOn_[0] = listenTapsOn_[1] = false;
    latest_ = {};
}

void WebHub::detach() {
    std::lock_guard lock(sourcesMutex_);
    if (sources_.taps != nullptr) {
        sources_.taps->setListenEnabled(false, false);
    }
    sources_ = {};
    ++sourcesGeneration_;
    listenTapsOn_[0] = listenTapsOn_[1] = false;
}

WebClientCounts WebHub::counts() const noexcept {
    return {clientCount_.load(std::memory_order_relaxed),
            listenerCount_.load(std::memory_order_relaxed), options_.control};
}

bool WebHub::tokenMatches(std::string_view candidate) const noexcept {
    if (candidate.size() != token_.size()) {
        return false;
    }
    unsigned char difference = 0;
    for (size_t i = 0; i < token_.size(); ++i) {
        difference |= static_cast<unsigned char>(token_[i] ^ candidate[i]);
    }
    return difference == 0;
}

const WebStaticFile* WebHub::file(const std::string& path) const {
    const auto found = files_.find(path);
    return found == files_.end() ? nullptr : &found->second;
}

std::string WebHub::buildSnapshotLocked(std::string_view typeField) {
    if (sources_.monitor != nullptr && sources_.monitor->update()) {
        latest_ = sources_.monitor->readSlot();
    }
    const WebStreamFacts facts = sources_.facts ? sources_.facts() : WebStreamFacts{};
    Json body = MonitorJson::snapshot(latest_, facts, counts());
    if (typeField.empty()) {
        return body.dump();
    }
    Json typed = {{"type", typeField}};
    typed.update(body);
    return typed.dump();
}

std::optional<std::string> WebHub::snapshotJson() {
    std::lock_guard lock(sourcesMutex_);
    std::string json = buildSnapshotLocked({});
    if (latest_.sequence == 0) {
        return std::nullopt;
    }
    return json;
}

std::string WebHub::helloJson(bool authorized) const {
    uint32_t channels = 0;
    double rate = 0.0;
    {
        std::lock_guard lock(sourcesMutex_);
        if (sources_.taps != nullptr) {
            channels = std::min(sources_.taps->channels(), 2u);
            rate = sources_.taps->sampleRate();
        }
    }
    return Json{{"type", "hello"},
                {"version", 1},
                {"control", options_.control},
                {"authorized", authorized},
                {"listen",
                 {{"codecs", {"opus", "pcm"}},
                  {"sample_rate", rate},
                  {"channels", channels},
                  {"frame_ms", ListenEncoder::kFrameMs}}}}
        .dump();
}

bool WebHub::admitHttp() noexcept {
    if (httpConnections_ >= kMaxHttpConnections) {
        return false;
    }
    ++httpConnections_;
    return true;
}

void WebHub::leaveHttp() noexcept {
    if (httpConnections_ > 0) {
        --httpConnections_;
    }
}

bool WebHub::admit(WebSocketSession* session) {
    if (sessions_.size() >= options_.maxClients) {
        return false;
    }
    sessions_.push_back(session);
    clientCount_.store(sessions_.size(), std::memory_order_relaxed);
    return true;
}

void WebHub::leave(WebSocketSession* session) {
    stopListening(session);
    sessions_.erase(std::remove(sessions_.begin(), sessions_.end(), session), sessions_.end());
    clientCount_.store(sessions_.size(), std::memory_order_relaxed);
}

ListenEncoder* WebHub::encoderLocked(Tap tap, ListenCodec codec, std::string& error) {
    if (encoderGeneration_ != sourcesGeneration_) {
        encoders_.clear();  // a new stream: its rate or channels may differ
        encoderGeneration_ = sourcesGeneration_;
    }
    auto& slot = encoders_[{tapIndex(tap), static_cast<int>(codec)}];
    if (!slot) {
        auto opened =
            ListenEncoder::open(codec, sources_.taps->sampleRate(), sources_.taps->channels());
        if (!opened) {
            error = opened.error();
            return nullptr;
        }
        slot = std::move(*opened);
    }
    return slot.get();
}

Result<std::string> WebHub::listen(WebSocketSession* session, Tap tap, ListenCodec codec) {
    endListeningIfReattached();
    std::lock_guard lock(sourcesMutex_);
    if (sources_.taps == nullptr || sources_.taps->channels() == 0) {
        return Error{"nothing is streaming, so there is nothing to listen to"};
    }
    std::string error;
    ListenEncoder* encoder = encoderLocked(tap, codec, error);
    if (encoder == nullptr) {
        return Error{error};
    }
    listenGeneration_ = sourcesGeneration_;
    listeners_[session] = Listening{tap, codec};
    listenerCount_.store(listeners_.size(), std::memory_order_relaxed);
    applyListenTapsLocked();
    return Json{{"type", "listen"},
                {"tap", tapName(tap)},
                {"codec", codecName(codec)},
                {"sample_rate", encoder->rate()},
                {"channels", encoder->channels()},
                {"frame_ms", ListenEncoder::kFrameMs}}
        .dump();
}

void WebHub::stopListening(WebSocketSession* session) {
    std::lock_guard lock(sourcesMutex_);
    if (listeners_.erase(session) == 0) {
        return;
    }
    listenerCount_.store(listeners_.size(), std::memory_order_relaxed);
    applyListenTapsLocked();
}

// A tap's listen ring is fed only while someone listens to it; what waited in it from an earlier
// listener is old audio and is dropped before the tap goes back on. An encoder nobody listens to
// any more goes too: it would encode for no one.
void WebHub::applyListenTapsLocked() {
    for (auto encoder = encoders_.begin(); encoder != encoders_.end();) {
        const bool used = std::any_of(listeners_.begin(), listeners_.end(), [&](const auto& entry) {
            return tapIndex(entry.second.tap) == encoder->first.first &&
                   static_cast<int>(entry.second.codec) == encoder->first.second;
        });
        encoder = used ? std::next(encoder) : encoders_.erase(encoder);
    }
    if (sources_.taps == nullptr) {
        return;
    }
    bool wanted[2] = {false, false};
    for (const auto& [session, listening] : listeners_) {
        wanted[tapIndex(listening.tap)] = true;
    }
    for (Tap tap : {Tap::Pre, Tap::Post}) {
        const int t = tapIndex(tap);
        if (wanted[t] && !listenTapsOn_[t]) {
            sources_.taps->listen(tap).discard();
        }
        listenTapsOn_[t] = wanted[t];
    }
    sources_.taps->setListenEnabled(wanted[0], wanted[1]);
}

void WebHub::tickSnapshots() {
    if (sessions_.empty()) {
        return;
    }
    std::shared_ptr<const std::string> message;
    {
        std::lock_guard lock(sourcesMutex_);
        std::string json = buildSnapshotLocked("snapshot");
        if (latest_.sequence == 0 || latest_.sequence == lastBroadcastSequence_) {
            return;  // nothing new was measured: nothing to send
        }
        lastBroadcastSequence_ = latest_.sequence;
        message = std::make_shared<const std::string>(std::move(json));
    }
    const std::vector<WebSocketSession*> sessions = sessions_;
    for (WebSocketSession* session : sessions) {
        session->sendSnapshot(message);
    }
}

void WebHub::tickAudio() {
    if (listeners_.empty()) {
        return;
    }
    endListeningIfReattached();
    if (listeners_.empty()) {
        return;
    }
    std::vector<std::pair<WebSocketSession*, std::shared_ptr<const std::string>>> deliveries;
    {
        std::lock_guard lock(sourcesMutex_);
        if (sources_.taps == nullptr) {
            return;
        }
        SampleTaps& taps = *sources_.taps;
        const uint32_t channels = std::max(1u, taps.channels());
        if (chunk_.channelCount() != channels) {
            chunk_.resize(channels, kAudioChunkFrames);
            chunkPointers_.resize(channels);
        }
        for (Tap tap : {Tap::Pre, Tap::Post}) {
            if (!listenTapsOn_[tapIndex(tap)]) {
                continue;
            }
            SampleRing& ring = taps.listen(tap);
            while (true) {
                // The oldest waiting frame left the audio thread about that long ago.
                const size_t waiting = ring.availableFrames();
                const double firstMs = wallClockMs() - 1000.0 * double(waiting) / taps.sampleRate();
                const AudioBlock block = chunk_.block();
                const size_t frames = ring.pop(block.channels(), kAudioChunkFrames);
                if (frames == 0) {
                    break;
                }
                std::copy_n(block.channels(), channels, chunkPointers_.begin());
                for (auto& [key, encoder] : encoders_) {
                    if (key.first != tapIndex(tap) || encoderGeneration_ != sourcesGeneration_) {
                        continue;
                    }
                    messages_.clear();
                    encoder->push(chunkPointers_.data(), frames, firstMs, messages_);
                    for (const auto& [session, listening] : listeners_) {
                        if (tapIndex(listening.tap) != key.first ||
                            static_cast<int>(listening.codec) != key.second) {
                            continue;
                        }
                        for (const auto& message : messages_) {
                            deliveries.emplace_back(session, message);
                        }
                    }
                }
            }
        }
    }
    for (const auto& [session, message] : deliveries) {
        session->sendAudio(message);
    }
}

// A stream attached or detached since the listeners asked: their format may have changed, so they
// are told to ask again (the page does so by itself).
void WebHub::endListeningIfReattached() {
    std::vector<WebSocketSession*> ended;
    {
        std::lock_guard lock(sourcesMutex_);
        if (listenGeneration_ == sourcesGeneration_) {
            return;
        }
        listenGeneration_ = sourcesGeneration_;
        for (const auto& [session, listening] : listeners_) {
            ended.push_back(session);
        }
        listeners_.clear();
        listenerCount_.store(0, std::memory_order_relaxed);
        applyListenTapsLocked();
    }
    const auto message = std::make_shared<const std::string>(
        Json{{"type", "stopped"}, {"message", "the stream was reopened; listen again"}}.dump());
    for (WebSocketSession* session : ended) {
        session->sendText(message);
    }
}

void WebHub::track(WebConnection* connection) {
    connections_.insert(connection);
}

void WebHub::untrack(WebConnection* connection) {
    connections_.erase(connection);
}

void WebHub::closeAll() {
    const std::set<WebConnection*> connections = connections_;
    for (WebConnection* connection : connections) {
        connection->close();
    }
}

}  // namespace liverack::core
