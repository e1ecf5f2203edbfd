package systemd

var WatchdogIntervalFor = watchdogInterval
