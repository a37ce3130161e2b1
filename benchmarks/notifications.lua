-- Payment notifications for wrk: POSTs the pre-signed notifications in the file named by the first
-- script argument (one "<body>\t<X-Demo-Signature>" line per payment), each one DUPLICATES times in a
-- row (second argument). Run with one thread: its connections take the requests in order, so the
-- duplicates of a payment are in flight at once. Prints wrk's summary as one JSON line like
-- wrk_report.lua, plus the requests sent and the answers outside 2xx (wrk counts only >= 400).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Read back by done() through thread:get, so globals.
sent = 0
non2xx = 0
payments = 0
local requests = {}
local duplicates = 32

function init(args)
  duplicates = tonumber(args[2]) or duplicates
  for line in io.lines(args[1]) do
    local body, signature = line:match("^(.-)\t(.+)$")
    local headers = {["Content-Type"] = "application/json", ["X-Demo-Signature"] = signature}
    table.insert(requests, wrk.format("POST", nil, headers, body))
  end
  payments = #requests
end

function request()
  local index = math.floor(sent / duplicates) % #requests + 1
  sent = sent + 1
  return requests[index]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

done = function(summary, latency, requests)
  local total_sent, total_non2xx, total_payments = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_non2xx = total_non2xx + thread:get("non2xx")
    total_payments = thread:get("payments")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
    '"sent": %d, "non2xx": %d, "payments": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean,
    total_sent, total_non2xx, total_payments))
end
