package dev.quiesce.child.worker;

import java.io.IOException;

/** A frame that breaks the protocol: unknown type, bad length, oversized, truncated inside a frame. */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
