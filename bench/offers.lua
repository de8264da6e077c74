-- wrk: offers of one hotel, GET /v1/hotels/{id}/rooms?check_in&check_out&guests=2, for random
-- 1-7 night stays within the next 300 days. The hotel is the script's first argument
-- (wrk ... -s bench/offers.lua URL -- HOTEL_ID) or else the environment variable HOTEL_ID.
-- Each wrk thread draws its own reproducible sequence of stays.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local hotel = os.getenv("HOTEL_ID")

function init(args)
  if args[1] and args[1] ~= "" then hotel = args[1] end
  if not hotel then
    error("offers.lua: pass the hotel id after -- or in HOTEL_ID")
  end
  math.randomseed(20261130 + (thread_number or 0))
end

local function day(offset)
  return os.date("!%Y-%m-%d", os.time() + offset * 86400)
end

request = function()
  local start = math.random(1, 300)
  local nights = math.random(1, 7)
  return wrk.format("GET", "/v1/hotels/" .. hotel .. "/rooms?guests=2&check_in=" .. day(start) ..
                           "&check_out=" .. day(start + nights))
end
