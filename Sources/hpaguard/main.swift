print("hpaguard")
