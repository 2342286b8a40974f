package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// route is one of Discord's REST routes.
type route struct {
	method  string
	pattern string // without the /api/vN prefix, e.g. "channels/{channel_id}/messages"
	segs    []string
	auth    bool // needs "Authorization: Bot …"
	global  bool // counts against the global rate limit
	handle  func(c *call) (any, int, error)
}

// name is the route as logs and buckets show it: "POST /channels/{channel_id}/messages".
func (r *route) name() string { return r.method + " /" + r.pattern }

// call is one request on its way through the REST pipeline.
type call struct {
	s      *Server
	r      *http.Request
	route  *route
	params map[string]string
	path   string // the path after /api/vN, with a leading slash
	body   []byte // JSON body, or payload_json of a multipart body
	files  []Attachment
	query  url.Values
	now    time.Time
	after  []func() // run once the request is logged
}

func (c *call) param(name string) string { return c.params[name] }

// decode unmarshals the body into v, turning type errors into Discord's
// 50035 shape so the bot sees which field was wrong.
func (c *call) decode(v any) error {
	if len(c.body) == 0 {
		return nil
	}
	if string(bytes.TrimSpace(c.body)) == "null" {
		// encoding/json would accept null as "nothing"; Discord wants a body.
		var fe formErrors
		fe.add("", "BASE_TYPE_REQUIRED", "This field is required")
		return fe.err()
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			var fe formErrors
			fe.add(te.Field, "BASE_TYPE_BAD_TYPE", "Value of type "+te.Value+" is not valid here.")
			return fe.err()
		}
		return errInvalidJSON()
	}
	return nil
}

// maxBody is Discord's upload limit for bots without boosts.
const maxBody = 25 << 20

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rest, ok := stripVersion(r.URL.Path)
	rec := &recorder{ResponseWriter: w, status: http.StatusOK, hold: s.spec != nil}
	c := &call{s: s, r: r, path: "/" + rest, query: r.URL.Query(), now: start}
	defer func() {
		if rec.hold && rec.wrote { // nothing written: the client left during a slow fault
			// Checked before the client sees it, so a test that ends on
			// this answer cannot miss the violation.
			s.checkAnswer(r.Method, c.path, rec.status, rec.Header(), rec.held.Bytes())
			rec.release()
		}
		s.finish(c, rec, start)
	}()
	if !ok {
		writeAPIError(rec, errNotFound())
		return
	}
	if err := c.readBody(); err != nil {
		writeAPIError(rec, err)
		return
	}
	rt, params, status := s.match(r.Method, rest)
	if rt == nil {
		e := errNotFound()
		if status == http.StatusMethodNotAllowed {
			e = &apiError{Status: 405, Message: "405: Method Not Allowed"}
		}
		writeAPIError(rec, e)
		return
	}
	c.route, c.params = rt, params
	if s.faults.applyREST(rec, r, c.path, rt) {
		return
	}
	if rt.auth && !s.authorized(r) {
		writeAPIError(rec, &apiError{Status: 401, Message: "401: Unauthorized"})
		return
	}
	if !s.limiter.allow(rec, rt, params, start) {
		return
	}
	if err := s.validateOpenAPI(c); err != nil {
		writeAPIError(rec, err)
		return
	}
	v, status, err := rt.handle(c)
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		writeAPIError(rec, ae)
	case err != nil:
		writeJSON(rec, 500, &apiError{Message: "500: Internal Server Error: " + err.Error()})
	case status == http.StatusNoContent:
		rec.WriteHeader(status)
	default:
		writeJSON(rec, status, v)
	}
}

// stripVersion removes /api/v9 or /api/v10 and returns the rest.
func stripVersion(p string) (string, bool) {
	for _, prefix := range []string{"/api/v10/", "/api/v9/"} {
		if strings.HasPrefix(p, prefix) {
			return strings.TrimSuffix(p[len(prefix):], "/"), true
		}
	}
	return "", false
}

// readBody reads a JSON or multipart body; for multipart, payload_json is
// the body and file parts become attachments.
func (c *call) readBody() *apiError {
	if c.r.Body == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
	if err != nil {
		return &apiError{Status: 400, Message: "read body: " + err.Error()}
	}
	if len(data) > maxBody {
		return &apiError{Status: 413, Code: 40005, Message: "Request entity too large"}
	}
	mt, mp, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return c.readMultipart(data, mp["boundary"])
	}
	c.body = data
	if len(data) > 0 && !json.Valid(data) {
		return errInvalidJSON()
	}
	return nil
}

// match finds the route for method and path; status says 404 or 405.
func (s *Server) match(method, path string) (*route, map[string]string, int) {
	segs := strings.Split(path, "/")
	status := http.StatusNotFound
	var best *route
	var bestParams map[string]string
	bestLiterals := -1
	for _, rt := range s.routes {
		params, literals, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		if rt.method != method {
			status = http.StatusMethodNotAllowed
			continue
		}
		if literals > bestLiterals {
			best, bestParams, bestLiterals = rt, params, literals
		}
	}
	return best, bestParams, status
}

func matchSegs(pattern, segs []string) (map[string]string, int, bool) {
	if len(pattern) != len(segs) {
		return nil, 0, false
	}
	params := map[string]string{}
	literals := 0
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, 0, false
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, 0, false
		}
		literals++
	}
	return params, literals, true
}

// authorized checks "Authorization: Bot <token>".
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bot ")
	if !ok || strings.TrimSpace(tok) == "" {
		return false
	}
	return s.opts.Token == "" || tok == s.opts.Token
}

// recorder captures the status and Discord code of an answer. With hold
// set it keeps the answer back until release, so it can be checked first.
type recorder struct {
	http.ResponseWriter
	status int
	code   int
	wrote  bool
	hold   bool
	held   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	if !r.hold {
		r.ResponseWriter.WriteHeader(status)
	}
}

// release sends a held answer.
func (r *recorder) release() {
	if !r.hold || !r.wrote {
		return
	}
	r.hold = false
	r.ResponseWriter.WriteHeader(r.status)
	_, _ = r.ResponseWriter.Write(r.held.Bytes())
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	if r.status >= 400 && r.code == 0 {
		var e struct {
			Code int `json:"code"`
		}
		if json.Unmarshal(b, &e) == nil {
			r.code = e.Code
		}
	}
	if r.hold {
		return r.held.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

// finish records and logs the request. The Authorization header is never
// logged or kept.
func (s *Server) finish(c *call, rec *recorder, start time.Time) {
	req := Request{
		Time: start, Method: c.r.Method, Path: c.r.URL.Path, Query: c.r.URL.RawQuery,
		Status: rec.status, Code: rec.code,
	}
	if c.route != nil {
		req.Route = c.route.name()
	}
	if len(c.body) > 0 && json.Valid(c.body) {
		req.Body = append(json.RawMessage{}, c.body...)
	}
	s.mu.Lock()
	if len(s.requests) >= maxRequests {
		s.requests = append(s.requests[:0], s.requests[len(s.requests)/2:]...)
	}
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	for _, fn := range c.after {
		fn()
	}
	attrs := []any{"method", req.Method, "path", req.Path, "status", req.Status,
		"ms", strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 1, 64)}
	if req.Code != 0 {
		attrs = append(attrs, "code", req.Code)
	}
	if b := rec.Header().Get("X-RateLimit-Bucket"); b != "" {
		attrs = append(attrs, "bucket", b, "remaining", rec.Header().Get("X-RateLimit-Remaining"))
	}
	s.log.Info("request", attrs...)
}

// Requests returns every REST request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request{}, s.requests...)
}

// readMultipart takes payload_json as the body and notes each file part.
func (c *call) readMultipart(data []byte, boundary string) *apiError {
	if boundary == "" {
		return &apiError{Status: 400, Code: codeInvalidFormBody, Message: "multipart body without a boundary"}
	}
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &apiError{Status: 400, Code: codeInvalidFormBody, Message: "invalid multipart body: " + err.Error()}
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return &apiError{Status: 400, Code: codeInvalidFormBody, Message: "invalid multipart body: " + err.Error()}
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			c.body = b
		case strings.HasPrefix(name, "files["):
			c.files = append(c.files, Attachment{Filename: p.FileName(), Size: len(b), ContentType: p.Header.Get("Content-Type")})
		}
	}
	if len(c.body) > 0 && !json.Valid(c.body) {
		return errInvalidJSON()
	}
	return nil
}
