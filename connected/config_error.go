package connected

// A ConfigError is a mistake in how a Client or a call is set up: an API
// key that is missing or malformed, an option given a value it cannot
// take, a header the SDK sets itself. Nothing was sent. It is not an
// *Error, so neither an API error code nor a sentinel such as
// ErrInvalidRequest matches it: a typo in a program's setup is never
// mistaken for the API refusing a request.
type ConfigError struct {
	// Setting names what is wrong: "API key", "base URL", "max retries",
	// "header Accept", the environment variable DRONLINE_API_KEY.
	Setting string
	// Problem says what is wrong with it. It never quotes the API key or
	// a header's value.
	Problem string
}

func (e *ConfigError) Error() string { return "connected: " + e.Setting + " " + e.Problem }

func configError(setting, problem string) error {
	return &ConfigError{Setting: setting, Problem: problem}
}
