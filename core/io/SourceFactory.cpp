#include "core/io/SourceFactory.h"

#include <cstdlib>

#include "core/io/FileSource.h"
#include "core/io/TestSignalGenerator.h"
#include "core/net/RtpSource.h"
#include "core/net/RtpSourceSpec.h"

namespace liverack::core {

Result<std::unique_ptr<InputSource>> SourceFactory::create(const std::string& spec) {
    using Kind = TestSignalGenerator::Kind;
    if (spec.empty() || spec == "device") {
        return std::unique_ptr<InputSource>();
    }
    if (spec.rfind("file:", 0) == 0) {
        const std::string path = spec.substr(5);
        if (path.empty()) {
            return Error{"'file:' needs the path of an audio file, like file:take1.wav"};
        }
        auto file = FileSource::open(path);
        if (!file) {
            return Error{file.error()};
        }
        return std::unique_ptr<InputSource>(std::move(file.value()));
    }
    if (spec.rfind("rtp://", 0) == 0 || spec.rfind("sdp:", 0) == 0) {
        auto parsed = spec[0] == 'r' ? parseRtpSourceUrl(spec) : readRtpSourceSdp(spec.substr(4));
        if (!parsed) {
            return Error{parsed.error()};
        }
        auto source = RtpSource::open(*parsed);
        if (!source) {
            return Error{source.error()};
        }
        return std::unique_ptr<InputSource>(std::move(source.value()));
    }
    if (spec == "noise") {
        return std::unique_ptr<InputSource>(
            std::make_unique<TestSignalGenerator>(Kind::WhiteNoise));
    }
    if (spec == "pink") {
        return std::unique_ptr<InputSource>(std::make_unique<TestSignalGenerator>(Kind::PinkNoise));
    }
    if (spec == "sweep") {
        return std::unique_ptr<InputSource>(std::make_unique<TestSignalGenerator>(Kind::Sweep));
    }
    if (spec.rfind("sine", 0) == 0) {
        double hz = 440.0;
        if (spec.size() > 4) {
            if (spec[4] != ':') {
                return Error{"unknown source '" + spec + "'; " + help()};
            }
            char* end = nullptr;
            hz = std::strtod(spec.c_str() + 5, &end);
            if (end == spec.c_str() + 5 || *end != '\0' || !(hz > 0.0) || hz > 96000.0) {
                return Error{"'" + spec +
                             "' needs a frequency in Hz between 0 and 96000, like sine:440"};
            }
        }
        return std::unique_ptr<InputSource>(std::make_unique<TestSignalGenerator>(Kind::Sine, hz));
    }
    return Error{"unknown source '" + spec + "'; " + help()};
}

std::string SourceFactory::help() {
    return "use device, file:PATH, sine:HZ, noise, pink, sweep, rtp://@:PORT?codec=opus or "
           "sdp:FILE";
}

}  // namespace liverack::core
