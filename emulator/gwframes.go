package emulator

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"time"

	"github.com/gorilla/websocket"
)

// How frames reach a gateway socket: queued per connection, written by
// one goroutine, as text, per-payload zlib (identify.compress) or the
// zlib-stream transport (?compress=zlib-stream).

// send queues a frame; a client too slow to take it is dropped.
func (c *gwConn) send(m outMsg) {
	select {
	case c.out <- m:
	case <-c.done:
	default:
		c.ws.Close()
	}
}

func (c *gwConn) writeLoop() {
	for {
		select {
		case <-c.done:
			return
		case m := <-c.out:
			if err := c.write(m); err != nil {
				c.ws.Close()
				return
			}
		}
	}
}

func (c *gwConn) write(m outMsg) error {
	deadline := time.Now().Add(5 * time.Second)
	if m.closeCode != 0 {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(m.closeCode, m.closeText), deadline)
		return fmt.Errorf("closed with %d", m.closeCode)
	}
	_ = c.ws.SetWriteDeadline(deadline)
	if c.stream != nil {
		// The transport compresses everything; payload compression on
		// top would make clients inflate twice, so it is not applied.
		frame, err := c.stream.frame(m.data)
		if err != nil {
			return err
		}
		return c.ws.WriteMessage(websocket.BinaryMessage, frame)
	}
	if !m.compress {
		return c.ws.WriteMessage(websocket.TextMessage, m.data)
	}
	// Payload compression: each payload a whole zlib stream of its own,
	// which is how discordgo inflates every binary message.
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(m.data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.BinaryMessage, buf.Bytes())
}

// zlibStream is the zlib-stream transport: one zlib context for the whole
// connection, each payload flushed (Z_SYNC_FLUSH) into its own binary
// frame, so every frame ends in 00 00 ff ff and can only be inflated by
// a reader that has seen the frames before it.
type zlibStream struct {
	buf bytes.Buffer
	zw  *zlib.Writer
}

func newZlibStream() *zlibStream {
	z := &zlibStream{}
	z.zw = zlib.NewWriter(&z.buf)
	return z
}

// frame compresses one payload; the bytes are valid until the next call.
func (z *zlibStream) frame(p []byte) ([]byte, error) {
	z.buf.Reset()
	if _, err := z.zw.Write(p); err != nil {
		return nil, fmt.Errorf("zlib-stream: %w", err)
	}
	if err := z.zw.Flush(); err != nil {
		return nil, fmt.Errorf("zlib-stream: %w", err)
	}
	return z.buf.Bytes(), nil
}
