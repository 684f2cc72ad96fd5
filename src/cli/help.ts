export const HELP = `Switchyard — an AI gateway for every major LLM SDK

Usage:
  switchyard start [--config FILE] [--port N] [--host H] [--data-dir D] [--workers N]
  switchyard validate --config FILE
  switchyard --help
  switchyard --version

Commands:
  start       Run the gateway (the default command). Without --config it reads
              SWITCHYARD_CONFIG or ./switchyard.{yaml,yml,json}; without any file,
              providers come from environment variables (OPENAI_API_KEY, ...).
  validate    Check a config file; prints every problem with the path of the
              bad key and exits 1 if there is any.

Options:
  -c, --config FILE    Config file (YAML or JSON)
  -p, --port N         Port to listen on (default 8080, or $PORT)
  -H, --host H         Address to bind (default 127.0.0.1, or $HOST)
  -d, --data-dir D     Data directory for the embedded store (default ./data)
  -w, --workers N      Worker processes sharing the port (node:cluster; default 1)
  -h, --help           Show this help
  -v, --version        Show the version

Docs: docs/configuration.md
`;
