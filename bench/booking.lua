-- wrk script: POST /v1/bookings with a random stay (1-5 nights, 2-360 days ahead) at a random
-- hotel of the file given as the script's first argument ("hotel_id type_id plan_id" per line).
-- TOKEN (environment) is the bearer token. Prints the tally of 201, 409 and other answers.
local targets = {}
local token = os.getenv("TOKEN")
local threads = {}
created, refused, other = 0, 0, 0

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    for line in io.lines(args[1]) do
        local h, t, p = line:match("(%S+) (%S+) (%S+)")
        if h then targets[#targets + 1] = {h, t, p} end
    end
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
    local x = targets[math.random(#targets)]
    local from = math.random(2, 360)
    local nights = math.random(1, 5)
    local now = os.time()
    local body = string.format(
        '{"hotel_id":"%s","room_type_id":"%s","rate_plan_id":"%s","check_in":"%s",' ..
        '"check_out":"%s","guests":1}', x[1], x[2], x[3],
        os.date("!%Y-%m-%d", now + from * 86400), os.date("!%Y-%m-%d", now + (from + nights) * 86400))
    return wrk.format("POST", "/v1/bookings",
        {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function response(status, headers, body)
    if status == 201 then created = created + 1
    elseif status == 409 then refused = refused + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local c, r, o = 0, 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("created"); r = r + t:get("refused"); o = o + t:get("other")
    end
    io.write(string.format("bookings/s %.0f  (201: %d, 409: %d, other: %d in %.1f s)\n",
        c / (summary.duration / 1e6), c, r, o, summary.duration / 1e6))
end
