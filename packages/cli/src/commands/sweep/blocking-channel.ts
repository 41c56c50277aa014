import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";

/**
 * The sending end of a blocking channel, handed to another thread: post with `postAndWake`.
 */
export interface ChannelSender {
  port: MessagePort;
  signal: Int32Array;
}

/** Post a message and wake the receiver sleeping in `receive`. */
export function postAndWake(to: ChannelSender, message: unknown): void {
  to.port.postMessage(message);
  Atomics.add(to.signal, 0, 1);
  Atomics.notify(to.signal, 0);
}

/**
 * Messages from other threads to a thread that does not return to its event loop: the CLI's
 * commands are synchronous (`main` returns the exit code), so the calling thread sleeps on a shared
 * counter (Atomics.wait) that senders bump after each message, and takes the messages with
 * receiveMessageOnPort.
 */
export class BlockingChannel {
  private readonly receiver: MessagePort;
  /** Transfer `sender.port` to the thread that posts (it is a MessagePort). */
  readonly sender: ChannelSender;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.receiver = port1;
    this.sender = { port: port2, signal: new Int32Array(new SharedArrayBuffer(4)) };
  }

  /**
   * Hand each message to `onMessage`, sleeping while there is none, until it returns false (then
   * true is returned) or `timeoutMs` have passed (false).
   */
  receive(onMessage: (message: unknown) => boolean, timeoutMs = Infinity): boolean {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    while (Date.now() < deadline) {
      // At most a second's sleep: it only guards against a lost wake-up, and lets the deadline pass.
      Atomics.wait(this.sender.signal, 0, seen, Math.min(1000, deadline - Date.now()));
      seen = Atomics.load(this.sender.signal, 0);
      for (let m = receiveMessageOnPort(this.receiver); m; m = receiveMessageOnPort(this.receiver)) if (!onMessage(m.message)) return true;
    }
    return false;
  }

  close(): void {
    this.receiver.close();
  }
}
