// What the server can do to any open connection at shutdown, whatever it is busy with.
#pragma once

namespace liverack::core {

class WebConnection {
public:
    virtual ~WebConnection() = default;
    // Closes the socket: the connection's pending operations end, and with them the connection.
    virtual void close() = 0;
};

}  // namespace liverack::core
