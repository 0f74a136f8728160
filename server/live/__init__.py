"""Live updates: one Redis subscription per API process, fanned out to WebSocket subscribers.

`hub.LiveHub` follows the event log and routes every event through `routing.RouteIndex`
to the audiences (shared operations, see `server.graphql.live_delivery`) that want it;
`outlet.Outlet` is a connection's bounded outgoing queue; `replay` serves `since`;
`minifigures.MinifigureCache` lets every tick carry its minifigure without a query per
event.
"""
