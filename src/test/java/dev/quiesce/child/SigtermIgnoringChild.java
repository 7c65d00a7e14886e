package dev.quiesce.child;

import dev.quiesce.child.worker.Frame;
import dev.quiesce.child.worker.FrameCodec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * A misbehaving child: says hello, then takes tasks and never answers, ignoring Shutdown frames, the end of
 * stdin and SIGTERM alike — only SIGKILL ends it.
 */
public final class SigtermIgnoringChild {

    public static void main(String[] args) throws IOException, InterruptedException {
        Signal.handle(new Signal("TERM"), SignalHandler.SIG_IGN);
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        FrameCodec.write(out, new Frame.Hello(ProcessHandle.current().pid()));
        DataInputStream in = new DataInputStream(new FileInputStream(FileDescriptor.in));
        try {
            while (true) {
                FrameCodec.read(in, FrameCodec.DEFAULT_MAX_FRAME);
            }
        } catch (IOException e) {
            // stdin ended: a well-behaved child would exit now; this one does not.
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
