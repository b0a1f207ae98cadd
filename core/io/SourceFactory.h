// Turns a --source specification into an input source: "device" (nullptr: use the device's
// input), "sine:HZ", "noise", "pink", "sweep", "file:PATH", "rtp://@:PORT?..." and "sdp:FILE"
// (an RTP stream from the network).
#pragma once

#include <memory>
#include <string>

#include "core/io/InputSource.h"
#include "core/util/Result.h"

namespace liverack::core {

class SourceFactory {
public:
    // nullptr (ok) for "device"; an error sentence for anything it does not understand.
    static Result<std::unique_ptr<InputSource>> create(const std::string& spec);
    static std::string help();  // the accepted forms, for usage messages
};

}  // namespace liverack::core
