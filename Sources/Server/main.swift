print("gateway: under construction")
