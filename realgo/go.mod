module gmpdefer/realgo

go 1.19
