"""Live updates: one Redis subscription per API process, fanned out to WebSocket subscribers.

`hub.LiveHub` follows the event log and hands every event to the `subscriber.Subscriber`s
of this process; `follow.follow` turns a subscription (with an optional `since`) into a
gap-free, duplicate-free stream; `minifigures.MinifigureCache` lets every tick carry its
minifigure without a query per event.
"""
