//! `cavra-mcp-server`: CAVRA's MCP server on stdio, the same as `cavra mcp`.

fn main() -> std::process::ExitCode {
    cavra::cli::mcp_server_main()
}
