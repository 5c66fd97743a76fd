-- Driven by tests/lsp_nvim.rs: attaches `jenkinsfile lsp` to a buffer with Neovim's own LSP
-- client (0.7 API), waits for the diagnostics and writes them to $JF_OUT, one per line:
-- `line:col code severity` (0-based line, byte column, as Neovim stores them).
local bin, file, out = os.getenv('JF_BIN'), os.getenv('JF_FILE'), os.getenv('JF_OUT')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'jenkinsfile',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
if not id then
  vim.cmd('cquit 2')
end
vim.lsp.buf_attach_client(buf, id)
local arrived = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local lines = {}
if arrived then
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(lines, string.format('%d:%d %s %d', d.lnum, d.col, lsp.code or d.code or '?', d.severity))
  end
  table.sort(lines)
  -- Hover on `shh`'s line through the same client, as `K` would.
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 3, character = 5 }, -- the `sh` of `sh 'make test'`
  }, 10000)
  local value = hover and hover[id] and hover[id].result and hover[id].result.contents.value or ''
  table.insert(lines, 'hover ' .. (value:match('^```groovy\n([^\n(]*)') or 'none'))
else
  table.insert(lines, 'no diagnostics')
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(id)
vim.cmd('qall!')
