package main

import (
	"context"
	"fmt"
	"time"

	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
)

// openDevices opens the hardware profile named by --profile: a TOML file,
// "demo" (virtual devices, receipts in <data>/receipts) or "none" (nil).
func openDevices(ctx context.Context, o options, setup pos.Setup, hw hardwareSource) (*profile.Devices, error) {
	var p *profile.Profile
	switch o.profile {
	case "none":
		return nil, nil
	case "demo":
		p = profile.Demo()
	case "":
		var err error
		if p, err = serverProfile(ctx, hw, setup.TerminalID); err != nil {
			return nil, err
		}
	default:
		var err error
		if p, err = profile.Load(o.profile); err != nil {
			return nil, err
		}
	}
	loc := setup.Header.Format()
	return profile.Open(ctx, p, profile.Options{BaseDir: o.data, Money: func(a money.Amount) string { return loc.Money(a, setup.Currency) }})
}

// hardwareSource is where the store server's hardware profiles wait (the
// till's store).
type hardwareSource interface {
	HardwareProfile(ctx context.Context, terminal string) ([]byte, bool, error)
}

// serverProfile is the hardware profile the store server sent for the
// till's terminal (document hardware/TERMINAL), else the demo's virtual
// devices.
func serverProfile(ctx context.Context, hw hardwareSource, terminal string) (*profile.Profile, error) {
	b, ok, err := hw.HardwareProfile(ctx, terminal)
	if err != nil {
		return nil, err
	}
	if !ok {
		return profile.Demo(), nil
	}
	p, err := profile.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("the hardware profile the store server sent for %s: %w (start with --profile FILE, demo or none meanwhile)", terminal, err)
	}
	return p, nil
}

// terminal is the card terminal: the profile's, with --card setting what
// its simulator does; without one in the profile, a simulator when --card
// is given, else none (the till then refuses cards).
func terminal(o options, devs *profile.Devices) (tender.PaymentTerminal, error) {
	var mode paysim.Outcome
	if o.card != "" {
		m, err := paysim.ParseOutcome(o.card)
		if err != nil {
			return nil, fmt.Errorf("--card: %w", err)
		}
		mode = m
	}
	if devs != nil && devs.Payment != nil {
		if devs.Simulator != nil && o.card != "" {
			devs.Simulator.SetMode(mode)
		}
		return devs.Payment, nil
	}
	if o.card == "" {
		return nil, nil
	}
	t := paysim.New()
	t.SetMode(mode)
	t.Delay, t.Timeout = 600*time.Millisecond, 5*time.Second
	return t, nil
}
