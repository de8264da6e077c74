-- wrk: GET /v1/hotels for random 1-7 night stays within the next 300 days, 2 guests.
-- Each wrk thread draws its own reproducible sequence of stays.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(20261130 + (thread_number or 0))
end

local function day(offset)
  return os.date("!%Y-%m-%d", os.time() + offset * 86400)
end

request = function()
  local start = math.random(1, 300)
  local nights = math.random(1, 7)
  return wrk.format("GET", "/v1/hotels?city=Benchville&guests=2&check_in=" .. day(start) ..
                           "&check_out=" .. day(start + nights))
end
