// What the audio system offers: APIs and their devices, as people choose them.
#pragma once

#include <string>
#include <vector>

namespace liverack::core {

struct DeviceInfo {
    unsigned id = 0;   // the system's device id (RtAudio's, PulseAudio's index), valid until the
                       // device list changes
    std::string name;  // as people see it ("Dummy Output")
    std::string
        systemName;         // as the system knows it, where that differs (PulseAudio's "auto_null")
    std::string monitorOf;  // for a monitor input: the name of the output it hears
    unsigned inputChannels = 0;
    unsigned outputChannels = 0;
    std::vector<unsigned> sampleRates;
    unsigned preferredSampleRate = 0;
    bool isDefaultInput = false;
    bool isDefaultOutput = false;
};

struct ApiInfo {
    std::string id;           // "jack", "alsa", "pulse", "null"
    std::string displayName;  // "JACK", "ALSA", "PulseAudio", "Null (no device)"
    std::vector<DeviceInfo> devices;
    std::string problem;       // why the list is empty, when it is ("no JACK server is running")
    unsigned blockFrames = 0;  // the period the server imposes (JACK); 0 where LiveRack chooses
};

}  // namespace liverack::core
