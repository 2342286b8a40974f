package bot

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestRedirectErrorsNameTheRealServer: when api_url points at another
// server and that server is down, the error names it, not discord.com.
func TestRedirectErrorsNameTheRealServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	rt, err := Redirect(base+"/prefix", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := discordgo.New("Bot token")
	s.Client = &http.Client{Transport: rt, Timeout: 5 * time.Second}
	s.MaxRestRetries = 0
	_, err = s.ChannelMessageSend("100000000000000001", "hello")
	if err == nil {
		t.Fatal("send to a closed port succeeded")
	}
	want := base + "/prefix/api/v9/channels/100000000000000001/messages"
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "discord.com") {
		t.Errorf("err = %v\nwant it to name %s and not discord.com", err, want)
	}
}
